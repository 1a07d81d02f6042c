package org.atnabridge.streams.alert;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.atnabridge.schemas.Topics;
import org.atnabridge.schemas.alert.Alert;
import org.atnabridge.schemas.alert.AlertJson;
import org.atnabridge.streams.alert.rules.AlertRules;
import org.atnabridge.streams.reference.ReferenceRecord;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Resource;

/**
 * {@code rules test}: the alerts the rules would fire over a set of events, found by running the
 * very {@link AlertTopology} the stream runs in Kafka Streams' {@link TopologyTestDriver}: the same
 * stages, serdes, repartitioning and state stores, so the offline answer and the stream's cannot
 * drift apart. Events are fed in event-time order ({@code recorded}); the driver's wall clock (the
 * clock stage 2 closes windows by and stage 3 stamps {@code detectedAt} with) follows them, and
 * after the last one moves on by the grace period, as an idle stream's would, so that windows still
 * open close.
 */
public final class RulesTester {

  private RulesTester() {}

  /**
   * @param rules the rules to test
   * @param events the events, as they would arrive on {@code audit.enriched}
   * @param reference reference records (people, patients) known before the first event
   * @return the alerts, in the order they fired
   */
  public static List<Alert> run(
      AlertRules rules, List<AuditEvent> events, List<ReferenceRecord> reference) {
    List<AuditEvent> ordered =
        events.stream().sorted(Comparator.comparing(RulesTester::time)).toList();
    Instant start = ordered.isEmpty() ? Instant.EPOCH : time(ordered.get(0));
    DriverClock clock = new DriverClock(start);
    Path stateDir = tempDir();
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, AlertTopology.APPLICATION_ID);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "rules-test:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    try (TopologyTestDriver driver =
        new TopologyTestDriver(
            AlertTopology.build(() -> rules, clock, new SimpleMeterRegistry()), props, start)) {
      for (ReferenceRecord r : reference) {
        TestInputTopic<String, Resource> topic =
            driver.createInputTopic(
                r.topic().name(), new StringSerializer(), r.topic().valueSerde().serializer());
        topic.pipeInput(r.key(), r.resource(), start);
      }
      TestInputTopic<String, AuditEvent> input =
          driver.createInputTopic(
              Topics.AUDIT_ENRICHED.name(),
              new StringSerializer(),
              Topics.AUDIT_ENRICHED.valueSerde().serializer());
      TestOutputTopic<String, byte[]> output =
          driver.createOutputTopic(
              Topics.AUDIT_ALERTS.name(), new StringDeserializer(), new ByteArrayDeserializer());
      int n = 0;
      for (AuditEvent e : ordered) {
        Instant t = time(e);
        advance(driver, clock, t);
        String key = e.getIdElement().hasIdPart() ? e.getIdElement().getIdPart() : "event-" + n;
        input.pipeInput(key, e, t);
        n++;
      }
      advance(driver, clock, clock.instant().plus(rules.grace()));
      List<Alert> alerts = new ArrayList<>();
      output.readValuesToList().forEach(v -> alerts.add(AlertJson.read(v)));
      return alerts;
    } finally {
      delete(stateDir);
    }
  }

  private static void advance(TopologyTestDriver driver, DriverClock clock, Instant to) {
    if (to.isAfter(clock.instant())) {
      Duration by = Duration.between(clock.instant(), to);
      clock.set(to);
      driver.advanceWallClockTime(by);
    }
  }

  private static Instant time(AuditEvent e) {
    return e.hasRecorded() ? e.getRecorded().toInstant() : Instant.EPOCH;
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("atna-rules-test-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory left behind is harmless
    }
  }

  /** The wall clock of the test driver, moved with it. */
  private static final class DriverClock extends Clock {
    private volatile Instant now;

    DriverClock(Instant now) {
      this.now = now;
    }

    void set(Instant t) {
      now = t;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
