package org.atnabridge.streams.alert;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.atnabridge.schemas.alert.Alert;
import org.atnabridge.streams.alert.rules.AlertRules;

/**
 * The stateful stage alone in a TopologyTestDriver: observations in through {@link
 * ObservationSerde}, firings collected as the processor forwards them. The processor's wall clock
 * and the driver's move together ({@link #advance}); {@link #restart} closes the driver and opens a
 * new one on the state restored from the changelogs.
 */
final class AlertStateHarness implements AutoCloseable {

  static final String TOPIC = "observations";
  static final String APP = "audit-alerts-test";

  final MutableClock clock;
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final AtomicReference<AlertRules> rules;
  final List<Firing> firings = new ArrayList<>();
  private final Path stateDir;
  private final Map<String, Map<String, byte[]>> changelogs = new HashMap<>();
  private TopologyTestDriver driver;
  private TestInputTopic<String, Observation> input;
  private int nextEvent = 1;

  /** A harness whose state lives under {@code root}. */
  AlertStateHarness(Path root, Instant start, AlertRules rules) {
    this.stateDir = root.resolve("state");
    this.clock = new MutableClock(start);
    this.rules = new AtomicReference<>(rules);
    open();
  }

  private void open() {
    Topology t = new Topology();
    t.addSource("in", Serdes.String().deserializer(), new ObservationSerde().deserializer(), TOPIC);
    t.addProcessor(
        "state",
        () -> new RuleStateProcessor(rules::get, clock, meters, Duration.ofSeconds(10)),
        "in");
    RuleStateProcessor.storeBuilders().forEach(b -> t.addStateStore(b, "state"));
    t.addProcessor("collect", () -> (Processor<String, Firing, Void, Void>) this::collect, "state");
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, APP);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    driver = new TopologyTestDriver(t, props, clock.instant());
    input =
        driver.createInputTopic(
            TOPIC, Serdes.String().serializer(), new ObservationSerde().serializer());
  }

  private void collect(Record<String, Firing> r) {
    firings.add(r.value());
  }

  /** An observation of {@code rule} for {@code group} recorded at {@code recorded}. */
  String observe(String rule, String group, Instant recorded) {
    return observe(rule, group, recorded, List.of(), List.of());
  }

  String observe(
      String rule, String group, Instant recorded, List<String> values, List<Integer> steps) {
    String id = "AuditEvent/e" + nextEvent++;
    Observation o =
        new Observation(
            rule,
            group,
            id,
            recorded,
            values,
            steps,
            List.of(new Alert.Party(null, "urn:oid:1.2", group, null)),
            values.isEmpty()
                ? List.of()
                : List.of(new Alert.Party("Patient/" + values.getFirst(), null, null, null)));
    input.pipeInput(o.key(), o, clock.instant());
    return id;
  }

  /** Moves the wall clock (the processor's and the driver's, which runs due punctuations). */
  void advance(Duration d) {
    clock.advance(d);
    driver.advanceWallClockTime(d);
  }

  KeyValueStore<String, Object> store(String name) {
    return driver.getKeyValueStore(name);
  }

  double counter(String name, String rule) {
    Counter c = meters.find(name).tag("rule", rule).counter();
    return c == null ? 0 : c.count();
  }

  /**
   * Restarts on the state of the last commit, as Kafka Streams restores a task on a new instance:
   * the stores are rebuilt by replaying their changelog topics (the driver has no broker to restore
   * from, so the harness replays what the processor wrote to them). Whatever the processor kept
   * outside its stores is lost, as in a real restart.
   */
  void restart() {
    for (String store : RuleStateProcessor.storeNames()) {
      Map<String, byte[]> log = changelogs.computeIfAbsent(store, s -> new LinkedHashMap<>());
      driver
          .createOutputTopic(
              APP + "-" + store + "-changelog",
              Serdes.String().deserializer(),
              Serdes.ByteArray().deserializer())
          .readRecordsToList()
          .forEach(
              r -> {
                if (r.value() == null) {
                  log.remove(r.key());
                } else {
                  log.put(r.key(), r.value());
                }
              });
    }
    driver.close();
    open();
    changelogs.forEach(
        (store, log) -> {
          KeyValueStore<String, Object> s = store(store);
          Deserializer<?> values = valueDeserializer(store);
          log.forEach((k, v) -> s.put(k, values.deserialize(store, v)));
        });
  }

  private static Deserializer<?> valueDeserializer(String store) {
    return switch (store) {
      case AlertStateStores.WINDOWS -> new StateJson<>(GroupWindow.class).deserializer();
      case AlertStateStores.SILENCE -> new StateJson<>(SilenceClock.class).deserializer();
      default -> Serdes.Long().deserializer();
    };
  }

  @Override
  public void close() {
    driver.close();
  }
}
