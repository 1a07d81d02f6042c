package org.atnabridge.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

/**
 * Configuration checks and lifecycle without a broker; publishing is covered by SyslogListenerIT.
 */
class KafkaRawMessageSinkTest {

  @Test
  void constructor_withoutBootstrapServers_namesTheSetting() {
    assertThatThrownBy(() -> new KafkaRawMessageSink(Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bootstrap.servers");
  }

  @Test
  void publish_afterClose_failsWithoutBlocking() {
    // nothing listens on port 1; the producer never connects because nothing is sent
    KafkaRawMessageSink sink =
        new KafkaRawMessageSink(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1"));
    assertThat(sink.isSaturated()).isFalse();
    sink.close();
    sink.close();

    RawMessage message =
        new RawMessage(
            new byte[] {'<'},
            "tcp",
            "127.0.0.1",
            2,
            Instant.EPOCH,
            "syslog-tcp:1",
            "octet-counting",
            null);
    assertThatThrownBy(() -> sink.publish(message).toCompletableFuture().join())
        .isInstanceOf(CompletionException.class)
        .hasRootCauseInstanceOf(IllegalStateException.class);
    assertThat(sink.pending()).isZero();
  }
}
