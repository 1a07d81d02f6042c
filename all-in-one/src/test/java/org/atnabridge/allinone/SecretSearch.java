package org.atnabridge.allinone;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import org.slf4j.LoggerFactory;

/**
 * Proof that a secret (an access token from a query string) is stored and reported nowhere: every
 * record of every Kafka topic (keys, values, headers; internal topics included), every stored field
 * and indexed term of the Lucene index, every file of the data dir as bytes, every log event of the
 * run, and the {@code /metrics} page.
 */
final class SecretSearch implements AutoCloseable {

  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

  /** Starts capturing every log event (call before the secret is sent). */
  SecretSearch() {
    logs.start();
    root.addAppender(logs);
  }

  @Override
  public void close() {
    root.detachAppender(logs);
    logs.stop();
  }

  /** The places searched, with how many items each held (so an empty search cannot pass). */
  record Searched(
      int topics, long records, long indexedTerms, long storedDocs, long files, int logEvents) {}

  /** While the pipeline runs: Kafka, logs, /metrics. */
  Searched assertNotInKafkaLogsOrMetrics(Pipeline pipeline, String secret)
      throws IOException, InterruptedException {
    byte[] needle = secret.getBytes(StandardCharsets.UTF_8);
    Set<String> topics;
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.bootstrapServers()))) {
      topics =
          admin
              .listTopics(new org.apache.kafka.clients.admin.ListTopicsOptions().listInternal(true))
              .names()
              .get();
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e);
    }
    long records = 0;
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                pipeline.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_uncommitted",
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                16 * 1024 * 1024),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : topics) {
        consumer
            .partitionsFor(topic, Duration.ofSeconds(10))
            .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        assertThat(System.nanoTime()).as("reading every topic to its end").isLessThan(deadline);
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          records++;
          String where = r.topic() + "-" + r.partition() + "@" + r.offset();
          assertThat(contains(r.key(), needle)).as("key of %s", where).isFalse();
          assertThat(contains(r.value(), needle)).as("value of %s", where).isFalse();
          for (Header h : r.headers()) {
            assertThat(contains(h.value(), needle)).as("header %s of %s", h.key(), where).isFalse();
          }
        }
      }
    }
    for (ILoggingEvent event : logs.list) {
      assertThat(event.getFormattedMessage()).as("a log line").doesNotContain(secret);
      for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
        assertThat(String.valueOf(t.getMessage())).as("a logged exception").doesNotContain(secret);
      }
    }
    HttpResponse<String> metrics =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + pipeline.httpPort() + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).contains("atna_accesslog_scrubbed").doesNotContain(secret);
    return new Searched(topics.size(), records, 0, 0, 0, logs.list.size());
  }

  /**
   * After the pipeline closed: the Lucene index (terms and stored fields) and every file's bytes.
   */
  static Searched assertNotInIndexOrFiles(Path dataDir, Path indexDir, String secret)
      throws IOException {
    byte[] needle = secret.getBytes(StandardCharsets.UTF_8);
    BytesRef lowered = new BytesRef(secret.toLowerCase(java.util.Locale.ROOT));
    long terms = 0;
    long docs = 0;
    List<Path> indexes;
    try (Stream<Path> walk = Files.walk(indexDir)) {
      indexes =
          walk.filter(p -> p.getFileName().toString().startsWith("segments_"))
              .map(Path::getParent)
              .distinct()
              .toList();
    }
    assertThat(indexes).as("Lucene indexes under %s", indexDir).isNotEmpty();
    for (Path dir : indexes) {
      try (FSDirectory directory = FSDirectory.open(dir);
          DirectoryReader reader = DirectoryReader.open(directory)) {
        for (LeafReaderContext leaf : reader.leaves()) {
          for (FieldInfo field : leaf.reader().getFieldInfos()) {
            Terms t = leaf.reader().terms(field.name);
            if (t == null) {
              continue;
            }
            TermsEnum it = t.iterator();
            for (BytesRef term = it.next(); term != null; term = it.next()) {
              terms++;
              String text = term.utf8ToString();
              assertThat(text).as("a term of %s", field.name).doesNotContain(secret);
              assertThat(text)
                  .as("a term of %s", field.name)
                  .doesNotContain(lowered.utf8ToString());
            }
          }
          StoredFields stored = leaf.reader().storedFields();
          for (int d = 0; d < leaf.reader().maxDoc(); d++) {
            docs++;
            for (IndexableField f : stored.document(d).getFields()) {
              BytesRef bin = f.binaryValue();
              if (bin != null) {
                byte[] b =
                    java.util.Arrays.copyOfRange(bin.bytes, bin.offset, bin.offset + bin.length);
                assertThat(contains(b, needle)).as("stored field %s", f.name()).isFalse();
              } else if (f.stringValue() != null) {
                assertThat(f.stringValue()).as("stored field %s", f.name()).doesNotContain(secret);
              }
            }
          }
        }
      }
    }
    long files = 0;
    try (Stream<Path> walk = Files.walk(dataDir)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        files++;
        assertThat(contains(Files.readAllBytes(p), needle)).as("bytes of %s", p).isFalse();
      }
    }
    return new Searched(0, 0, terms, docs, files, 0);
  }

  static boolean contains(byte[] haystack, byte[] needle) {
    if (haystack == null) {
      return false;
    }
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
