package org.atnabridge.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.atnabridge.atna.AtnaConverter;
import org.atnabridge.atna.ConversionException;
import org.atnabridge.schemas.subscription.BuiltInTopics;
import org.atnabridge.schemas.subscription.SubscriberAccess;
import org.atnabridge.store.EventValues;
import org.atnabridge.streams.subscription.ActiveSubscription;
import org.atnabridge.streams.subscription.SubscriptionCompiler;
import org.atnabridge.streams.subscription.SubscriptionIndex;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Enumerations.SubscriptionStatusCodes;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.Reference;
import org.hl7.fhir.r5.model.Subscription;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Stage 1 of the Subscription matcher on one event, single thread, without Kafka: {@link
 * SubscriptionIndex#matching} (what the match processor runs per record, after parsing) with {@link
 * #SUBSCRIPTIONS} subscriptions, each filtering on one patient ({@code
 * patient:identifier=system|P<n>}, compiled as stored: status active, a user-level creator with the
 * default clearance, so each also carries the clearance restriction), over the converted events of
 * the ATNA test vectors, whose patient is set so that about half of them belong to a subscribed
 * patient (one JMH operation = one event).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SubscriptionMatchBenchmarks {

  static final int SUBSCRIPTIONS = 10_000;
  static final String PATIENT_SYSTEM = "urn:oid:1.2.840.99999.1";
  private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

  private final List<AuditEvent> events = new ArrayList<>();
  private final List<EventValues> projected = new ArrayList<>();
  private final List<ActiveSubscription> subscriptions = new ArrayList<>();
  private final SubscriptionIndex index = new SubscriptionIndex();
  private int next;

  public SubscriptionMatchBenchmarks() {
    SubscriberAccess user = new SubscriberAccess("bench", null, null, Set.of(), false);
    for (int i = 0; i < SUBSCRIPTIONS; i++) {
      Subscription s = new Subscription();
      s.setStatus(SubscriptionStatusCodes.ACTIVE);
      s.setTopic(BuiltInTopics.AUDIT_EVENT);
      s.addFilterBy()
          .setFilterParameter("patient")
          .setModifier(org.hl7.fhir.r5.model.Enumerations.SearchModifierCode.IDENTIFIER)
          .setValue(PATIENT_SYSTEM + "|P" + i);
      user.writeTo(s);
      ActiveSubscription a = SubscriptionCompiler.compile("s" + i, s).orElseThrow();
      subscriptions.add(a);
      index.put(a.id(), a);
    }
    BenchData data = new BenchData();
    data.load();
    AtnaConverter converter = new AtnaConverter();
    int n = 0;
    for (byte[] message : data.mix) {
      try {
        for (AuditEvent e : converter.convert(message, data.metadata)) {
          if (!e.getIdElement().hasIdPart()) {
            e.setId("bench-" + n);
          }
          // patients P0..P19999: about half have a subscription
          e.setPatient(
              new Reference()
                  .setIdentifier(
                      new Identifier()
                          .setSystem(PATIENT_SYSTEM)
                          .setValue("P" + (n * 7919 % (2 * SUBSCRIPTIONS)))));
          n++;
          events.add(e);
          projected.add(EventValues.of(e));
        }
      } catch (ConversionException ex) {
        throw new IllegalStateException(ex);
      }
    }
  }

  /** The matcher's work per event: one projection, then the candidates of the index tested. */
  @Benchmark
  public List<ActiveSubscription> matchEvent() {
    int i = next;
    next = (i + 1) % events.size();
    return index.matching(EventValues.of(events.get(i)), NOW);
  }

  /** {@link #matchEvent} without the projection: the index lookup and the candidates' tests. */
  @Benchmark
  public List<ActiveSubscription> matchProjected() {
    int i = next;
    next = (i + 1) % projected.size();
    return index.matching(projected.get(i), NOW);
  }

  /** For comparison: every subscription tested on the projected event, as without an index. */
  @Benchmark
  public int scanEverySubscription() {
    int i = next;
    next = (i + 1) % projected.size();
    EventValues v = projected.get(i);
    int matched = 0;
    for (ActiveSubscription s : subscriptions) {
      if (s.matches(v, NOW)) {
        matched++;
      }
    }
    return matched;
  }

  /**
   * How many events and how many of them match, and the thread CPU time per event of {@link
   * #matchEvent} and {@link #matchProjected} (for the report: on a machine shared with other work,
   * CPU time is what the matching itself costs, where JMH's wall-clock time also counts the waits
   * for a core).
   */
  public static void main(String[] args) {
    SubscriptionMatchBenchmarks b = new SubscriptionMatchBenchmarks();
    int matches = 0;
    for (EventValues v : b.projected) {
      matches += b.index.matching(v, NOW).size();
    }
    System.out.printf(
        "%d events, %d subscriptions, %d matches per pass%n",
        b.events.size(), SUBSCRIPTIONS, matches);
    java.lang.management.ThreadMXBean cpu =
        java.lang.management.ManagementFactory.getThreadMXBean();
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    for (int pass = 1; pass <= 3; pass++) {
      long sink = 0;
      long t0 = cpu.getCurrentThreadCpuTime();
      for (int i = 0; i < rounds; i++) {
        sink += b.matchEvent().size();
      }
      long t1 = cpu.getCurrentThreadCpuTime();
      for (int i = 0; i < rounds; i++) {
        sink += b.matchProjected().size();
      }
      long t2 = cpu.getCurrentThreadCpuTime();
      System.out.printf(
          "pass %d: matchEvent %.2f us CPU/event, matchProjected %.3f us CPU/event (%d)%n",
          pass, (t1 - t0) / 1000.0 / rounds, (t2 - t1) / 1000.0 / rounds, sink);
    }
  }
}
