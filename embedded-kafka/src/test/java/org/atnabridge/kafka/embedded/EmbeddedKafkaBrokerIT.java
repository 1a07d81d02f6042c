package org.atnabridge.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerIT {

  @TempDir Path dir;

  @Test
  void restart_onSameDataDir_keepsTopicsAndRecords() throws Exception {
    int port;
    try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dir, 0, Map.of()).start()) {
      port =
          Integer.parseInt(
              broker.bootstrapServers().substring(broker.bootstrapServers().indexOf(':') + 1));
      broker.createTopics(List.of(new NewTopic("t", 2, (short) 1)));
      broker.createTopics(
          List.of(new NewTopic("t", 2, (short) 1))); // existing topics are left alone
      try (KafkaProducer<String, String> p =
          new KafkaProducer<>(
              Map.of(
                  ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                  broker.bootstrapServers(),
                  ProducerConfig.ACKS_CONFIG,
                  "all"),
              new StringSerializer(),
              new StringSerializer())) {
        p.send(new ProducerRecord<>("t", "k", "before restart")).get();
      }
    }
    assertThat(dir.resolve("meta.properties")).exists();

    try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dir, port, Map.of()).start();
        KafkaConsumer<String, String> c =
            new KafkaConsumer<>(
                Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    broker.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG,
                    "g",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                    "earliest"),
                new StringDeserializer(),
                new StringDeserializer())) {
      assertThat(broker.bootstrapServers()).isEqualTo("127.0.0.1:" + port);
      c.subscribe(List.of("t"));
      List<String> values = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (values.isEmpty() && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
          values.add(r.value());
        }
      }
      assertThat(values).containsExactly("before restart");
    }
  }

  @Test
  void start_onTakenPort_failsNamingTheDirectory() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dir, taken.getLocalPort(), Map.of());
      assertThatThrownBy(broker::start)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("cannot start the embedded Kafka broker");
      broker.close();
    }
  }

  @Test
  void constructor_rejectsBadPort() {
    assertThatThrownBy(() -> new EmbeddedKafkaBroker(dir, 70000, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("70000");
  }
}
