package org.atnabridge.allinone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.schemas.DeadLetterHeaders;
import org.atnabridge.schemas.RawHeaders;
import org.atnabridge.schemas.RawRecordReference;
import org.atnabridge.schemas.Topics;
import org.atnabridge.schemas.chain.ChainLink;
import org.atnabridge.streams.AuditTopology;
import org.atnabridge.testing.TestVectors;
import org.hl7.fhir.r5.model.AuditEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dlq list|show|redrive} and {@code replay} against the packaged jar's {@code serve} (its
 * embedded broker and streams), the commands run in-process through picocli, once with {@code
 * --kafka-bootstrap} and once with only {@code --data-dir}:
 *
 * <ul>
 *   <li>records the running converter rejects, a dead letter as an older converter left it (a valid
 *       message) and one of ingest's (a frame prefix) are listed with reasons and counts, shown
 *       safely (text, or base64 for binary and escape sequences) and written raw to a file;
 *   <li>the valid one, redriven, is converted; redriven again it is the same event, stored once;
 *       the rejected ones redriven are dead-lettered again; ingest's is skipped (exit 3);
 *   <li>with the streams running, replay changes nothing (exit 3); stopped, it moves the offsets
 *       (through a broker the test opens on the data dir, then through the one the command opens
 *       itself), and the restarted serve re-converts: the event is replaced in place, the chain
 *       records {@code replaces-seq}, {@code verify} says intact, every id is stored once.
 * </ul>
 */
class DlqReplayIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private ServeProcess serve;

  @AfterEach
  void kill() throws InterruptedException {
    if (serve != null) {
      serve.close();
    }
  }

  @Test
  void dlqListShowRedrive_thenReplay_replacesInPlace() throws Exception {
    int http = ServeProcess.freePort();
    int kafkaPort = ServeProcess.freePort();
    Path data = dir.resolve("data");
    String[] serveArgs = ServeProcess.serveArgs(dir, http, ServeProcess.freePort(), 0, kafkaPort);
    serve =
        ServeProcess.start(dir.resolve("serve-1.log"), serveArgs)
            .awaitReady(Duration.ofSeconds(120));
    String bootstrap = "127.0.0.1:" + kafkaPort;
    Instant from = Instant.now().minusSeconds(60);
    byte[] binary = {(byte) 0xff, 0x00, 0x01, (byte) 0xfe};
    byte[] escapes = "not an audit message \u001b[2J".getBytes(StandardCharsets.UTF_8);
    byte[] xml = TestVectors.bytes("dicom-audit-xml/ipf-pixfeed.xml");
    try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
      raw(producer, escapes, "10.0.0.9");
      raw(producer, binary, "10.0.0.9");
      // a dead letter as an older converter left it: a message today's converts
      ProducerRecord<byte[], byte[]> old =
          new ProducerRecord<>(
              Topics.AUDIT_DLQ.name(), "10.0.0.7".getBytes(StandardCharsets.UTF_8), xml);
      rawHeaders(old, "10.0.0.7");
      RawHeaders.put(old.headers(), DeadLetterHeaders.REASON, "CONVERTER_ERROR");
      RawHeaders.put(old.headers(), DeadLetterHeaders.DETAIL, "NullPointerException");
      RawHeaders.put(old.headers(), DeadLetterHeaders.STAGE, "audit-convert");
      RawHeaders.put(old.headers(), DeadLetterHeaders.SOURCE_TOPIC, Topics.ATNA_RAW.name());
      RawHeaders.put(old.headers(), DeadLetterHeaders.SOURCE_PARTITION, "0");
      RawHeaders.put(old.headers(), DeadLetterHeaders.SOURCE_OFFSET, "0");
      RawHeaders.put(old.headers(), DeadLetterHeaders.FAILED_AT, Instant.now().toString());
      producer.send(old).get(30, TimeUnit.SECONDS);
      // ingest's: what arrived of a frame over the limit, never on atna.raw
      ProducerRecord<byte[], byte[]> prefix =
          new ProducerRecord<>(
              Topics.AUDIT_DLQ.name(),
              null,
              "<85>1 2026-12-07T00:00:00Z host app - - - <AuditMessage>"
                  .getBytes(StandardCharsets.UTF_8));
      RawHeaders.put(prefix.headers(), DeadLetterHeaders.REASON, "FRAME_TOO_LARGE");
      RawHeaders.put(prefix.headers(), DeadLetterHeaders.STAGE, "ingest");
      RawHeaders.put(prefix.headers(), DeadLetterHeaders.ORIGINAL_SIZE, "300000");
      producer.send(prefix).get(30, TimeUnit.SECONDS);
    }

    // list: every record with its reason and source, and the count per reason
    List<JsonNode> listed =
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> ndjson(ok("dlq", "list", "--json", "--kafka-bootstrap", bootstrap)),
                l -> l.get(l.size() - 1).path("summary").path("total").asInt() == 4);
    JsonNode summary = listed.get(4).get("summary");
    assertThat(summary.get("reasons").get("CONVERTER_ERROR").asInt()).isEqualTo(1);
    assertThat(summary.get("reasons").get("FRAME_TOO_LARGE").asInt()).isEqualTo(1);
    List<JsonNode> rejected =
        listed.subList(0, 4).stream()
            .filter(n -> n.get("source").asText().startsWith("atna.raw/0/"))
            .filter(n -> !n.get("reason").asText().equals("CONVERTER_ERROR"))
            .toList();
    assertThat(rejected).hasSize(2);
    assertThat(rejected)
        .allSatisfy(n -> assertThat(n.get("stage").asText()).isEqualTo("audit-convert"));
    JsonNode binaryRecord =
        rejected.stream()
            .filter(n -> n.get("size").asInt() == binary.length)
            .findFirst()
            .orElseThrow();
    JsonNode escapeRecord =
        rejected.stream()
            .filter(n -> n.get("size").asInt() == escapes.length)
            .findFirst()
            .orElseThrow();
    JsonNode oldRecord = byReason(listed, "CONVERTER_ERROR");
    assertThat(oldRecord.get("source").asText()).isEqualTo("atna.raw/0/0");

    String table = ok("dlq", "list", "--data-dir", data.toString());
    assertThat(table)
        .contains("PARTITION", "REASON", "SOURCE")
        .contains("4 record(s)")
        .contains("CONVERTER_ERROR 1")
        .contains("FRAME_TOO_LARGE 1")
        .doesNotContain("\u001b");
    List<JsonNode> chosen =
        ndjson(
            ok(
                "dlq",
                "list",
                "--json",
                "--reason",
                "CONVERTER_ERROR",
                "--kafka-bootstrap",
                bootstrap));
    assertThat(chosen).hasSize(2);

    // show: binary and escape sequences as base64, the raw bytes in a file, a message as text
    Path out = dir.resolve("value.bin");
    String shown =
        ok(
            "dlq",
            "show",
            binaryRecord.get("offset").asText(),
            "--kafka-bootstrap",
            bootstrap,
            "--output",
            out.toString());
    assertThat(shown)
        .contains("value      (base64, 4 bytes)")
        .contains(Base64.getEncoder().encodeToString(binary));
    assertThat(Files.readAllBytes(out)).isEqualTo(binary);
    assertThat(
            ok("dlq", "show", escapeRecord.get("offset").asText(), "--data-dir", data.toString()))
        .contains(Base64.getEncoder().encodeToString(escapes))
        .doesNotContain("\u001b");
    JsonNode full =
        JSON.readTree(
            ok(
                "dlq",
                "show",
                oldRecord.get("offset").asText(),
                "--json",
                "--kafka-bootstrap",
                bootstrap));
    assertThat(full.get("reason").asText()).isEqualTo("CONVERTER_ERROR");
    assertThat(full.get("value").get("encoding").asText()).isEqualTo("text");
    assertThat(full.get("value").get("content").asText()).contains("<AuditMessage>");
    assertThat(full.get("headers").get(RawHeaders.PEER).asText()).isEqualTo("10.0.0.7:5000");
    assertThat(run("dlq", "show", "999", "--kafka-bootstrap", bootstrap)[0]).isEqualTo("3");

    // redrive: a choice is needed; the valid message is converted once, however often redriven
    assertThat(run("dlq", "redrive", "--kafka-bootstrap", bootstrap)[0]).isEqualTo("2");
    String first =
        ok("dlq", "redrive", "--reason", "CONVERTER_ERROR", "--kafka-bootstrap", bootstrap);
    assertThat(first).contains("redriven 1, skipped 0");
    long firstOffset = redrivenOffset(first);
    AuditEvent converted = awaitEnrichedFrom(bootstrap, firstOffset);
    String id = converted.getIdPart();
    long firstSeq = ChainLink.from(converted).seq();
    String second =
        ok("dlq", "redrive", "--reason", "CONVERTER_ERROR", "--data-dir", data.toString());
    long secondOffset = redrivenOffset(second);
    assertThat(secondOffset).isGreaterThan(firstOffset);
    // a later record of the same partition converted: the second redrive was read before it
    long marker;
    try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
      marker = raw(producer, TestVectors.bytes("dicom-audit-xml/ipf-pdq.xml"), "10.0.0.8").offset();
    }
    awaitEnrichedFrom(bootstrap, marker);
    assertThat(ChainedRecords.enriched(bootstrap))
        .filteredOn(e -> e.getIdPart().equals(id))
        .hasSize(1);
    assertThat(keys(bootstrap, Topics.AUDIT_EVENTS.name())).filteredOn(id::equals).hasSize(1);

    // ingest's frame prefix cannot go back; the rejected ones go back and are rejected again
    String[] prefixRun =
        run("dlq", "redrive", "--reason", "FRAME_TOO_LARGE", "--kafka-bootstrap", bootstrap);
    assertThat(prefixRun[0]).as(prefixRun[1]).isEqualTo("3");
    assertThat(prefixRun[1]).contains("skipped").contains("redriven 0, skipped 1");
    long lo = Math.min(binaryRecord.get("offset").asLong(), escapeRecord.get("offset").asLong());
    long hi = Math.max(binaryRecord.get("offset").asLong(), escapeRecord.get("offset").asLong());
    long nextDlqOffset =
        listed.subList(0, 4).stream().mapToLong(n -> n.get("offset").asLong()).max().orElseThrow()
            + 1;
    String again =
        ok(
            "dlq",
            "redrive",
            "--from-offset",
            String.valueOf(lo),
            "--to-offset",
            String.valueOf(hi),
            "--reason",
            binaryRecord.get("reason").asText() + "," + escapeRecord.get("reason").asText(),
            "--kafka-bootstrap",
            bootstrap);
    assertThat(again).contains("redriven 2, skipped 0");
    List<JsonNode> after =
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    ndjson(
                        ok(
                            "dlq",
                            "list",
                            "--json",
                            "--from-offset",
                            String.valueOf(nextDlqOffset),
                            "--kafka-bootstrap",
                            bootstrap)),
                l -> l.size() == 3);
    assertThat(after.subList(0, 2))
        .extracting(n -> n.get("size").asInt())
        .containsExactlyInAnyOrder(binary.length, escapes.length);

    // replay: refused while the streams run
    String window = Instant.now().plusSeconds(60).toString();
    String[] running =
        run("replay", "--from", from.toString(), "--to", window, "--kafka-bootstrap", bootstrap);
    assertThat(running[0]).as(running[1]).isEqualTo("3");
    assertThat(running[1]).contains("is running").contains("nothing was changed");
    assertThat(serve.terminate(Duration.ofSeconds(60))).isTrue();

    // serve stopped: a dry run, then the move, through the data dir's broker the command opens
    String dry =
        ok(
            "replay",
            "--from",
            from.toString(),
            "--to",
            window,
            "--dry-run",
            "--data-dir",
            data.toString());
    assertThat(dry).contains("would re-read atna.raw/0 from offset 0").contains("nothing changed");
    String local =
        ok("replay", "--from", from.toString(), "--to", window, "--data-dir", data.toString());
    assertThat(local).contains("re-reads atna.raw/0 from offset 0").contains("embedded broker of");
    // ... and as on a cluster (--kafka-bootstrap): the offsets are moved, nothing more to move
    try (EmbeddedKafkaBroker opened =
            new EmbeddedKafkaBroker(data.resolve("kafka"), 0, Map.of()).start();
        Admin admin = VerifyKafka.admin(opened.bootstrapServers(), Duration.ofSeconds(30))) {
      assertThat(
              admin
                  .listConsumerGroupOffsets(AuditTopology.APPLICATION_ID)
                  .partitionsToOffsetAndMetadata()
                  .get(30, TimeUnit.SECONDS)
                  .get(new TopicPartition(Topics.ATNA_RAW.name(), 0))
                  .offset())
          .isZero();
      assertThat(
              ok(
                  "replay",
                  "--from",
                  from.toString(),
                  "--to",
                  window,
                  "--kafka-bootstrap",
                  opened.bootstrapServers()))
          .contains("nothing to re-read");
    }

    serve =
        ServeProcess.start(dir.resolve("serve-2.log"), serveArgs)
            .awaitReady(Duration.ofSeconds(120));
    AuditEvent replaced =
        await()
            .atMost(Duration.ofSeconds(90))
            .until(
                () ->
                    ChainedRecords.enriched(bootstrap).stream()
                        .filter(e -> e.getIdPart().equals(id))
                        .filter(e -> ChainLink.from(e).replacesSeq() != null)
                        .findFirst(),
                java.util.Optional::isPresent)
            .orElseThrow();
    assertThat(ChainLink.from(replaced).replacesSeq()).isEqualTo(firstSeq);
    assertThat(ChainLink.from(replaced).replacesHash()).isEqualTo(ChainLink.from(converted).hash());

    // the chain verifies, and the store holds every id once
    String url = "http://127.0.0.1:" + http;
    String[] verified = new String[1];
    try {
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () -> {
                verified[0] =
                    String.join("|", run("verify", "--url", url, "--data-dir", data.toString()));
                return verified[0].startsWith("0|");
              });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("verify never said intact; last:\n" + verified[0], e);
    }
    assertThat(verified[0]).contains("INTACT");
    List<AuditEvent> stored =
        new StoredEventReader(Duration.ofSeconds(30), StoredEventReader.bearer("", data))
            .fetch(url + "/fhir");
    assertThat(stored).extracting(AuditEvent::getIdPart).doesNotHaveDuplicates().contains(id);
    AuditEvent storedEvent =
        stored.stream().filter(e -> e.getIdPart().equals(id)).findFirst().orElseThrow();
    assertThat(ChainLink.from(storedEvent).replacesSeq()).isEqualTo(firstSeq);
  }

  private static String rawOffsetLine(String output) {
    return output
        .lines()
        .filter(l -> l.startsWith("redriven audit.dlq/"))
        .findFirst()
        .orElseThrow();
  }

  /** The atna.raw offset of the first record a redrive wrote ({@code -> atna.raw/0/N}). */
  private static long redrivenOffset(String output) {
    String line = rawOffsetLine(output);
    assertThat(line).contains("-> atna.raw/0/");
    return Long.parseLong(line.substring(line.lastIndexOf('/') + 1).trim());
  }

  private static AuditEvent awaitEnrichedFrom(String bootstrap, long rawOffset) {
    return await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                ChainedRecords.enriched(bootstrap).stream()
                    .filter(
                        e -> {
                          RawRecordReference r = RawRecordReference.from(e);
                          return r != null
                              && r.topic().equals(Topics.ATNA_RAW.name())
                              && r.partition() == 0
                              && r.offset() == rawOffset;
                        })
                    .findFirst(),
            java.util.Optional::isPresent)
        .orElseThrow();
  }

  private static JsonNode byReason(List<JsonNode> listed, String reason) {
    return listed.stream()
        .filter(n -> reason.equals(n.path("reason").asText()))
        .findFirst()
        .orElseThrow();
  }

  private static List<JsonNode> ndjson(String output) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String line : output.lines().toList()) {
      out.add(JSON.readTree(line));
    }
    return out;
  }

  /** Runs the command, asserts exit 0, returns its output. */
  private static String ok(String... args) {
    String[] r = TopicsCreateIT.run(args);
    assertThat(r[0]).as(String.join(" ", args) + "\n" + r[1]).isEqualTo("0");
    return r[1];
  }

  private static String[] run(String... args) {
    return TopicsCreateIT.run(args);
  }

  private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
    return new KafkaProducer<>(
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
        new ByteArraySerializer(),
        new ByteArraySerializer());
  }

  /** A frame as ingest writes it, to partition 0 of atna.raw. */
  private static RecordMetadata raw(KafkaProducer<byte[], byte[]> p, byte[] value, String sender)
      throws Exception {
    ProducerRecord<byte[], byte[]> r =
        new ProducerRecord<>(
            Topics.ATNA_RAW.name(), 0, sender.getBytes(StandardCharsets.UTF_8), value);
    rawHeaders(r, sender);
    return p.send(r).get(30, TimeUnit.SECONDS);
  }

  private static void rawHeaders(ProducerRecord<byte[], byte[]> r, String sender) {
    RawHeaders.put(r.headers(), RawHeaders.TRANSPORT, "tcp");
    RawHeaders.put(r.headers(), RawHeaders.PEER, sender + ":5000");
    RawHeaders.put(r.headers(), RawHeaders.RECEIVED_AT, Instant.now().toString());
  }

  /** The keys of every committed record of {@code topic}. */
  private static List<String> keys(String bootstrap, String topic) {
    return ChainedRecords.committed(bootstrap, topic).stream()
        .map(r -> r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8))
        .toList();
  }
}
