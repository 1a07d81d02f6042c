package org.atnabridge.streams.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.atnabridge.streams.alert.StateRules.match;
import static org.atnabridge.streams.alert.StateRules.rule;
import static org.atnabridge.streams.alert.StateRules.threshold;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.schemas.alert.Alert;
import org.atnabridge.streams.alert.rules.AlertRules;
import org.atnabridge.testing.KafkaBrokerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stateful stage on the real broker under exactly-once: one user's observations arrive on two
 * input partitions, are repartitioned by {@link Observation#key()} and count together; the
 * application is stopped in the middle of the window and its local state deleted, so the restarted
 * task rebuilds its windows from the changelogs: the threshold fires once, with the events from
 * before and after the restart.
 */
@ExtendWith(KafkaBrokerExtension.class)
class RuleStateIT {

  private static final int PARTITIONS = 2;

  @TempDir Path stateDir;

  @Test
  void groupAcrossTwoPartitions_countsTogether_andARestartWithLostLocalStateFiresOnce(
      EmbeddedKafkaBroker kafka) throws IOException {
    String run = UUID.randomUUID().toString().substring(0, 8);
    String in = "alert-it-observations-" + run;
    String out = "alert-it-firings-" + run;
    KafkaBrokerExtension.createTopics(kafka, PARTITIONS, in);
    KafkaBrokerExtension.createTopics(kafka, 1, out);
    AlertRules rules =
        StateRules.of(rule("login", threshold(5, Duration.ofMinutes(5))), rule("probe", match()));
    String app = "alert-it-" + run;
    String group = "urn:oid:1.2|jdoe";
    Instant t0 = Instant.now();
    List<String> ids = new ArrayList<>();

    try (KafkaProducer<String, Observation> producer = producer(kafka);
        KafkaConsumer<String, String> firings = consumer(kafka, out)) {
      KafkaStreams streams = start(kafka, in, out, app, rules);
      for (int i = 0; i < 3; i++) {
        ids.add(send(producer, in, i % PARTITIONS, "login", group, t0.plusSeconds(i)));
      }
      producer.flush();
      List<String> seen = new ArrayList<>();
      // probes of the same task, one per input partition: once they fired, the three were counted
      awaitProbes(producer, in, firings, seen, group, "before");
      streams.close(Duration.ofSeconds(30));
      deleteTree(stateDir);

      streams = start(kafka, in, out, app, rules);
      try {
        for (int i = 3; i < 5; i++) {
          ids.add(send(producer, in, i % PARTITIONS, "login", group, t0.plusSeconds(i)));
        }
        producer.flush();
        awaitProbes(producer, in, firings, seen, group, "after");
      } finally {
        streams.close(Duration.ofSeconds(30));
      }
      List<String> logins = seen.stream().filter(s -> s.startsWith("login|")).toList();
      assertThat(logins).containsExactly("login|" + group + "|5|" + String.join(",", ids));
    }
  }

  /** A group of the probe rule whose key lands on the repartition partition of {@code group}. */
  private static String sameTask(String group, String prefix) {
    int target = partition(Observation.key("login", group));
    for (int i = 0; ; i++) {
      String probe = prefix + i;
      if (partition(Observation.key("probe", probe)) == target) {
        return probe;
      }
    }
  }

  private static int partition(String key) {
    return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
  }

  /**
   * Sends one probe on every input partition, each to the task of {@code group}, and waits until
   * all fired: a probe follows the logins of its own input partition through the repartition topic,
   * but not those of another input partition, so one probe per input partition is needed before the
   * logins sent so far are known to be counted.
   */
  private static void awaitProbes(
      KafkaProducer<String, Observation> producer,
      String in,
      KafkaConsumer<String, String> firings,
      List<String> seen,
      String group,
      String prefix) {
    List<String> probes = new ArrayList<>();
    for (int p = 0; p < PARTITIONS; p++) {
      String probe = sameTask(group, prefix + p + "-");
      probes.add(probe);
      send(producer, in, p, "probe", probe, Instant.now());
    }
    producer.flush();
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () -> {
              firings.poll(Duration.ofMillis(200)).forEach(r -> seen.add(r.value()));
              return probes.stream()
                  .allMatch(g -> seen.stream().anyMatch(s -> s.startsWith("probe|" + g + "|")));
            });
  }

  private KafkaStreams start(
      EmbeddedKafkaBroker kafka, String in, String out, String app, AlertRules rules) {
    StreamsBuilder builder = new StreamsBuilder();
    RuleStateProcessor.storeBuilders().forEach(builder::addStateStore);
    builder.stream(in, Consumed.with(Serdes.String(), new ObservationSerde()))
        .selectKey((k, o) -> o.key())
        .repartition(
            Repartitioned.with(Serdes.String(), new ObservationSerde())
                .withName("observations")
                .withNumberOfPartitions(PARTITIONS))
        .process(
            () -> new RuleStateProcessor(() -> rules, Clock.systemUTC(), new SimpleMeterRegistry()),
            RuleStateProcessor.storeNames().toArray(String[]::new))
        .mapValues(
            f ->
                f.ruleId()
                    + "|"
                    + f.group()
                    + "|"
                    + f.eventCount()
                    + "|"
                    + String.join(",", f.events()))
        .to(out, Produced.with(Serdes.String(), Serdes.String()));
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, app);
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6000);
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 1000);
    p.put("processing.exception.handler.global.enabled", true);
    KafkaStreams streams = new KafkaStreams(builder.build(), p);
    streams.start();
    return streams;
  }

  private static String send(
      KafkaProducer<String, Observation> producer,
      String topic,
      int partition,
      String rule,
      String group,
      Instant recorded) {
    String id = "AuditEvent/" + UUID.randomUUID();
    Observation o =
        new Observation(
            rule,
            group,
            id,
            recorded,
            List.of(),
            List.of(),
            List.of(new Alert.Party(null, "urn:oid:1.2", "jdoe", null)),
            List.of());
    producer.send(new ProducerRecord<>(topic, partition, id, o));
    return id;
  }

  private static KafkaProducer<String, Observation> producer(EmbeddedKafkaBroker kafka) {
    return new KafkaProducer<>(
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
        new StringSerializer(),
        new ObservationSerde().serializer());
  }

  private static KafkaConsumer<String, String> consumer(EmbeddedKafkaBroker kafka, String topic) {
    KafkaConsumer<String, String> c =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "reader-" + topic,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed"),
            new StringDeserializer(),
            new StringDeserializer());
    c.subscribe(List.of(topic));
    return c;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        if (!p.equals(dir)) {
          Files.delete(p);
        }
      }
    }
  }
}
