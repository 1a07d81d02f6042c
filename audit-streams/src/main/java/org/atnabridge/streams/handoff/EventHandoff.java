package org.atnabridge.streams.handoff;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import org.hl7.fhir.r5.model.AuditEvent;
import org.jspecify.annotations.Nullable;

/**
 * AuditEvents the convert application has just encoded for {@code audit.events}, kept so that the
 * enrich application in the same JVM can take the object instead of parsing the JSON again (the
 * HAPI parse was the largest single cost of enrichment).
 *
 * <p>Why this is safe: {@link #take} returns an event only when the record enrich read holds
 * exactly the bytes encoded from that object, so enrich sees what a parse would give; anything
 * else (another instance converted it, an aborted transaction's retry, a FHIR-posted event, a
 * full handoff) returns null and enrich parses the record as before. The convert side must not
 * touch an event after {@link #offer}: ownership passes to whoever takes it.
 *
 * <p>Bounded: at most {@code capacity} events. When full, entries older than {@code maxAge}
 * (never taken: their transaction aborted, or their partition went to another instance) are
 * dropped; if it is still full the new event is not kept. Dropping the newest rather than the
 * oldest keeps the events enrich will read next when it lags behind convert.
 */
public final class EventHandoff {

  /**
   * Heap an entry holds: a converted ipf-pixfeed AuditEvent retains ~11.6 KB, plus its JSON. A
   * full handoff of 20 000 held ~300 MB and cost more in old-generation GC than the parses it saved.
   */
  static final long BYTES_PER_ENTRY = 16 * 1024;
  public static final Duration DEFAULT_MAX_AGE = Duration.ofSeconds(60);

  private record Entry(byte[] json, AuditEvent event, long offeredAt) {}

  private final int capacity;
  private final long maxAgeMs;
  private final Clock clock;
  private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();

  public EventHandoff(int capacity, Duration maxAge, Clock clock) {
    if (capacity < 0) {
      throw new IllegalArgumentException("handoff capacity < 0");
    }
    this.capacity = capacity;
    this.maxAgeMs = maxAge.toMillis();
    this.clock = clock;
  }

  /**
   * At most 1/16 of the maximum heap (4 000 events with 1 GB, 1 000 to 20 000): covers the events
   * convert is ahead of enrich by at full speed (one commit interval and a fetch); under a larger
   * backlog the rest are parsed.
   */
  public static EventHandoff defaults() {
    return new EventHandoff(defaultCapacity(Runtime.getRuntime().maxMemory()), DEFAULT_MAX_AGE, Clock.systemUTC());
  }

  static int defaultCapacity(long maxHeapBytes) {
    return (int) Math.clamp(maxHeapBytes / 16 / BYTES_PER_ENTRY, 1_000, 20_000);
  }

  /** Keeps nothing: every record is parsed (separate convert and enrich processes behave like this). */
  public static EventHandoff disabled() {
    return new EventHandoff(0, DEFAULT_MAX_AGE, Clock.systemUTC());
  }

  /** Hands over {@code event}, encoded as {@code json}, under its resource id. */
  public synchronized void offer(String id, byte[] json, AuditEvent event) {
    if (capacity == 0) {
      return;
    }
    long now = clock.millis();
    if (entries.size() >= capacity) {
      Iterator<Entry> it = entries.values().iterator();
      while (it.hasNext() && now - it.next().offeredAt() > maxAgeMs) {
        it.remove();
      }
    }
    // a second event with the same id replaces the first: the first's record will not match and is parsed
    entries.remove(id);
    if (entries.size() < capacity) {
      entries.put(id, new Entry(json, event, now));
    }
  }

  /**
   * The event offered under {@code id} if {@code json} is exactly what it was encoded as, else
   * null; either way the entry is gone afterwards.
   */
  public synchronized @Nullable AuditEvent take(String id, byte[] json) {
    Entry e = entries.remove(id);
    return e != null && Arrays.equals(e.json(), json) ? e.event() : null;
  }

  public synchronized int size() {
    return entries.size();
  }

  @Override
  public String toString() {
    return "EventHandoff[capacity=" + capacity + ", maxAge=" + Duration.ofMillis(maxAgeMs) + "]";
  }
}
