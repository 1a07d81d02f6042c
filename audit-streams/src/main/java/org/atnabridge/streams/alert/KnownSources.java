package org.atnabridge.streams.alert;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.atnabridge.streams.alert.rules.AlertRule;
import org.atnabridge.streams.alert.rules.AlertRules;
import org.atnabridge.streams.alert.rules.KindSpec;
import org.jspecify.annotations.Nullable;

/**
 * The audit sources known from reference data ({@code reference.nodes}) for silence rules: each
 * node becomes a marker {@link Observation} per enabled silence rule, keyed like an event of that
 * source ({@link Observation#key(String, String)} of the rule and the AuditSourceID), so that it
 * reaches the same task and {@link SilenceClock} as the source's events: a node both listed and
 * heard from is one source. A tombstone sends a "gone" marker. The nodes are kept in {@link #STORE}
 * so that a silence rule added by a reload (or every rule after a restart) is told of every node.
 *
 * <p>A node key that is an IP literal is a network address, never an AuditSourceID ({@code
 * source.observer.identifier.value}), and is not watched.
 */
final class KnownSources implements Processor<String, byte[], String, Observation> {

  /** Node key → "" (the node keys of {@code reference.nodes}). */
  static final String STORE = "alert-known-nodes";

  private static final String KNOWN = "known";
  private static final String GONE = "gone";
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("\\[?[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*]?(%.+)?");

  private final Supplier<AlertRules> rules;
  private final java.time.Duration punctuation;
  private @Nullable ProcessorContext<String, Observation> context;
  private @Nullable KeyValueStore<String, String> nodes;

  /** The silence rules every stored node was announced to (since this task started). */
  private Set<String> announced = Set.of();

  KnownSources(Supplier<AlertRules> rules, java.time.Duration punctuation) {
    this.rules = rules;
    this.punctuation = punctuation;
  }

  static StoreBuilder<KeyValueStore<String, String>> storeBuilder() {
    return Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(STORE), Serdes.String(), Serdes.String());
  }

  /** Whether {@code o} is a marker of a known source rather than an event. */
  static boolean isMarker(Observation o) {
    return o.eventId().isEmpty();
  }

  /** Whether the marker says the node was removed from reference data. */
  static boolean isGone(Observation o) {
    return o.values().contains(GONE);
  }

  static boolean isNetworkAddress(String key) {
    return IPV4.matcher(key).matches() || IPV6.matcher(key).matches();
  }

  static Observation marker(String ruleId, String node, Instant at, boolean gone) {
    return new Observation(
        ruleId, node, "", at, List.of(gone ? GONE : KNOWN), List.of(), List.of(), List.of());
  }

  @Override
  public void init(ProcessorContext<String, Observation> context) {
    this.context = context;
    this.nodes = context.getStateStore(STORE);
    context.schedule(punctuation, PunctuationType.WALL_CLOCK_TIME, this::announceToNewRules);
  }

  @Override
  public void process(Record<String, byte[]> record) {
    ProcessorContext<String, Observation> ctx = context;
    KeyValueStore<String, String> store = nodes;
    String node = record.key();
    if (ctx == null || store == null || node == null || node.isBlank() || isNetworkAddress(node)) {
      return;
    }
    boolean gone = record.value() == null;
    if (gone) {
      store.delete(node);
    } else {
      store.put(node, "");
    }
    Instant at = Instant.ofEpochMilli(record.timestamp());
    for (String rule : silenceRules()) {
      Observation o = marker(rule, node, at, gone);
      ctx.forward(new Record<>(o.key(), o, record.timestamp()));
    }
  }

  /** Tells silence rules that appeared since the last punctuation of every known node. */
  private void announceToNewRules(long now) {
    ProcessorContext<String, Observation> ctx = context;
    KeyValueStore<String, String> store = nodes;
    if (ctx == null || store == null) {
      return;
    }
    Set<String> current = silenceRules();
    Set<String> added = new HashSet<>(current);
    added.removeAll(announced);
    announced = current;
    if (added.isEmpty()) {
      return;
    }
    Instant at = Instant.ofEpochMilli(now);
    try (KeyValueIterator<String, String> it = store.all()) {
      while (it.hasNext()) {
        KeyValue<String, String> kv = it.next();
        for (String rule : added) {
          Observation o = marker(rule, kv.key, at, false);
          ctx.forward(new Record<>(o.key(), o, now));
        }
      }
    }
  }

  private Set<String> silenceRules() {
    Set<String> ids = new HashSet<>();
    for (AlertRule r : rules.get().rules()) {
      if (r.enabled() && r.spec() instanceof KindSpec.Silence) {
        ids.add(r.id());
      }
    }
    return Set.copyOf(ids);
  }
}
