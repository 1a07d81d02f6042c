package org.atnabridge.allinone;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.schemas.RawHeaders;
import org.atnabridge.schemas.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ingest --access-log-tags myweb --access-log-scrub sessionid}, the packaged jar against one
 * broker: the options replace the defaults, so a {@code myweb} line goes to {@code accesslog.raw}
 * with {@code sessionid} masked, and an {@code nginx} line (a default tag, not configured here)
 * stays on {@code atna.raw}. {@code serve} builds its ingest the same way ({@link IngestService}).
 */
class IngestAccessLogTagsIT {

  @TempDir Path dir;

  @Test
  void accessLogOptions_reachTheSyslogIngest() throws Exception {
    try (EmbeddedKafkaBroker kafka =
        new EmbeddedKafkaBroker(Files.createDirectories(dir.resolve("kafka")), 0, Map.of())
            .start()) {
      int syslog = ServeProcess.freePort();
      try (ServeProcess ingest =
          ServeProcess.start(
              dir.resolve("ingest.log"),
              "ingest",
              "--kafka-bootstrap",
              kafka.bootstrapServers(),
              "--syslog-host",
              "127.0.0.1",
              "--syslog-port",
              String.valueOf(syslog),
              "--health-port",
              String.valueOf(ServeProcess.freePort()),
              "--access-log-tags",
              "myweb",
              "--access-log-scrub",
              "sessionid")) {
        ingest.awaitReady(Duration.ofSeconds(120));
        String run = UUID.randomUUID().toString();
        String secret = "sid" + run.replace("-", "");
        // RFC 3164 as nginx sends it (newline-framed over TCP, RFC 6587 §3.4.2)
        String custom =
            "<190>Dec  6 17:00:00 web-1 myweb: 10.0.0.1 - - [06/Dec/2026:17:00:00 +0000] \"GET"
                + " /fhir/Patient?sessionid="
                + secret
                + "&access_token=kept-"
                + run
                + " HTTP/1.1\" 200 5 \"-\" \"-\"";
        String defaultTag = "<190>Dec  6 17:00:00 web-1 nginx: GET /default-" + run;
        try (Socket socket = new Socket("127.0.0.1", syslog)) {
          OutputStream out = socket.getOutputStream();
          out.write((custom + "\n" + defaultTag + "\n").getBytes(UTF_8));
          out.flush();
        }

        List<ConsumerRecord<byte[], byte[]>> records = consume(kafka.bootstrapServers(), run, 2);
        ConsumerRecord<byte[], byte[]> accessLog = only(records, Topics.ACCESSLOG_RAW.name());
        assertThat(new String(accessLog.value(), UTF_8))
            .isEqualTo(custom.replace(secret, "REDACTED"));
        assertThat(RawHeaders.get(accessLog.headers(), RawHeaders.ACCESS_LOG_SOURCE))
            .isEqualTo("myweb");
        ConsumerRecord<byte[], byte[]> atna = only(records, Topics.ATNA_RAW.name());
        assertThat(new String(atna.value(), UTF_8)).isEqualTo(defaultTag);
      }
    }
  }

  private static ConsumerRecord<byte[], byte[]> only(
      List<ConsumerRecord<byte[], byte[]>> records, String topic) {
    List<ConsumerRecord<byte[], byte[]>> on =
        records.stream().filter(r -> r.topic().equals(topic)).toList();
    assertThat(on).as(topic).hasSize(1);
    return on.getFirst();
  }

  /** Records of atna.raw and accesslog.raw containing {@code marker}, once there are {@code n}. */
  private static List<ConsumerRecord<byte[], byte[]>> consume(
      String bootstrap, String marker, int n) {
    List<ConsumerRecord<byte[], byte[]>> seen = new CopyOnWriteArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG,
                "ingest-access-log-tags-it",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest"),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(Topics.ATNA_RAW.name(), Topics.ACCESSLOG_RAW.name()));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                  if (new String(r.value(), UTF_8).contains(marker)) {
                    seen.add(r);
                  }
                }
                return seen.size() >= n;
              });
    }
    return seen;
  }
}
