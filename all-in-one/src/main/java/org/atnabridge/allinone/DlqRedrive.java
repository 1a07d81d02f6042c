package org.atnabridge.allinone;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.atnabridge.schemas.DeadLetterHeaders;
import org.atnabridge.schemas.Topics;
import org.atnabridge.streams.chain.ChainProcessor;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code atna-bridge dlq redrive}: sends the chosen {@code audit.dlq} records back through
 * conversion, typically after an upgrade fixed the converter: each record's original key, value and
 * headers (without the {@code dlq.*} ones) are written again to the topic it was rejected from
 * ({@code dlq.source.topic}: {@code atna.raw}, {@code accesslog.raw} or {@code audit.posted}), to
 * its partition there ({@code dlq.source.partition}). The streams convert it as any record: a
 * record that fails again is dead-lettered again (a new {@code audit.dlq} record); one converted is
 * stored once, because event ids derive from the content and the sender, so a record redriven
 * twice, or one that had been converted after all, is a later receipt and dropped. The dead-letter
 * records themselves stay in {@code audit.dlq}.
 *
 * <p>Not redriven (listed as {@code skipped}): records without a source topic (ingest's {@code
 * FRAME_TOO_LARGE} and {@code FRAME_INCOMPLETE} hold only what arrived of a frame), and {@code
 * ENRICHED_EVENT_TOO_LARGE} (its value is the converted event, not the input record: re-convert the
 * input with {@code replay} instead).
 *
 * <p>Exit codes: 0 every chosen record redriven (or none chosen), 1 Kafka failed, 2 usage error (no
 * choice given and no {@code --all}), 3 some chosen records skipped.
 */
@Command(
    name = "redrive",
    mixinStandardHelpOptions = true,
    description = {
      "Send chosen audit.dlq records (by offset range, reason or time) back to the topic they were rejected "
          + "from, for conversion again; one that fails again is dead-lettered again.",
      "Event ids derive from the content: a record converted twice is stored once.",
      "Exit 0 all chosen records redriven, 1 Kafka failed, 2 usage error, 3 some chosen records skipped."
    })
final class DlqRedrive implements Callable<Integer> {

  /** The topics a dead letter can go back to: the inputs of the conversion. */
  static final Set<String> TARGETS =
      Set.of(Topics.ATNA_RAW.name(), Topics.ACCESSLOG_RAW.name(), Topics.AUDIT_POSTED.name());

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin ToolKafkaOptions kafka;

  @Mixin DlqSelection selection;

  @Option(names = "--all", description = "Redrive every record of audit.dlq (no choice needed).")
  boolean all;

  @Override
  public Integer call() throws Exception {
    selection.validate();
    if (!selection.any() && !all) {
      throw new IllegalArgumentException(
          "choose the records to redrive (--from-offset/--to-offset, --reason, --from/--to, "
              + "--partition) or give --all");
    }
    PrintWriter out = spec.commandLine().getOut();
    int redriven = 0;
    int skipped = 0;
    try (ToolKafkaOptions.ToolKafka k = kafka.open()) {
      List<DeadLetter> chosen =
          DeadLetterReader.read(k.bootstrap(), kafka.timeout, selection::matches);
      try (KafkaProducer<byte[], byte[]> producer = producer(k.bootstrap())) {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        List<DeadLetter> sentRecords = new ArrayList<>();
        for (DeadLetter d : chosen) {
          String why = notRedrivable(d);
          if (why != null) {
            skipped++;
            out.println(
                "skipped  audit.dlq/"
                    + d.partition()
                    + "/"
                    + d.offset()
                    + " "
                    + DeadLetterOutput.oneLine(d.reason(), 40)
                    + ": "
                    + why);
            continue;
          }
          String topic = d.header(DeadLetterHeaders.SOURCE_TOPIC);
          int partitions = producer.partitionsFor(topic).size();
          Integer partition = sourcePartition(d, partitions);
          sent.add(
              producer.send(
                  new ProducerRecord<>(
                      topic, partition, null, d.key(), d.value(), d.originalHeaders())));
          sentRecords.add(d);
        }
        producer.flush();
        for (int i = 0; i < sent.size(); i++) {
          RecordMetadata m = sent.get(i).get(kafka.timeout.toMillis(), TimeUnit.MILLISECONDS);
          DeadLetter d = sentRecords.get(i);
          redriven++;
          out.println(
              "redriven audit.dlq/"
                  + d.partition()
                  + "/"
                  + d.offset()
                  + " "
                  + DeadLetterOutput.oneLine(d.reason(), 40)
                  + " -> "
                  + m.topic()
                  + "/"
                  + m.partition()
                  + "/"
                  + m.offset());
        }
      }
    }
    out.println("redriven " + redriven + ", skipped " + skipped);
    out.flush();
    return skipped > 0 ? 3 : 0;
  }

  /** Why the record cannot go back, or null when it can. */
  static @Nullable String notRedrivable(DeadLetter d) {
    String topic = d.header(DeadLetterHeaders.SOURCE_TOPIC);
    if (topic == null) {
      return "no source topic (rejected at intake: the value is what arrived of the frame, never stored"
          + " whole)";
    }
    if (!TARGETS.contains(topic)) {
      return "source topic " + DeadLetterOutput.oneLine(topic, 100) + " is no conversion input";
    }
    if (ChainProcessor.ENRICHED_EVENT_TOO_LARGE.equals(d.reason())) {
      return "the value is the converted event, not the input record (re-convert its input with"
          + " replay)";
    }
    return null;
  }

  /** The partition it came from when the topic still has it, else the producer's choice. */
  private static @Nullable Integer sourcePartition(DeadLetter d, int partitions) {
    String p = d.header(DeadLetterHeaders.SOURCE_PARTITION);
    if (p == null || !p.matches("\\d{1,9}")) {
      return null;
    }
    int partition = Integer.parseInt(p);
    return partition < partitions ? partition : null;
  }

  private KafkaProducer<byte[], byte[]> producer(String bootstrap) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            true,
            ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
            Topics.MAX_DLQ_RECORD_BYTES + 1024,
            ProducerConfig.MAX_BLOCK_MS_CONFIG,
            (int) kafka.timeout.toMillis(),
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
            (int) Math.max(kafka.timeout.toMillis(), 120_000)),
        new ByteArraySerializer(),
        new ByteArraySerializer());
  }
}
