package org.atnabridge.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
class KafkaBrokerExtensionIT {

  private static EmbeddedKafkaBroker first;

  @BeforeAll
  static void remember(EmbeddedKafkaBroker broker) {
    first = broker;
  }

  @Test
  void broker_isRunningAndCreatesTopics(EmbeddedKafkaBroker broker) throws Exception {
    assertThat(broker).isSameAs(first); // one broker for the whole run
    KafkaBrokerExtension.createTopics(broker, 3, "ext-a", "ext-b");
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      var described = admin.describeTopics(List.of("ext-a", "ext-b")).allTopicNames().get();
      assertThat(described.get("ext-a").partitions()).hasSize(3);
      assertThat(admin.describeCluster().nodes().get()).hasSize(1);
    }
  }
}
