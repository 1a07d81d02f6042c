package org.atnabridge.allinone;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.atnabridge.schemas.Topic;
import org.atnabridge.schemas.Topics;
import org.atnabridge.streams.AuditTopology;
import org.atnabridge.streams.enrich.EnrichmentConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code atna-bridge replay --from T --to T}: re-converts the records of {@code atna.raw} and
 * {@code accesslog.raw} received in {@code [from, to)} (by record time), after a converter fix. It
 * moves the committed offsets of the streams application ({@value AuditTopology#APPLICATION_ID})
 * back to the first record at or after {@code from} on each partition with records in the window:
 * the operator's re-read of the same input records that the streams recognise ({@code
 * FirstReceipts}: same topic, partition and offset) and chain as a replacement ({@code
 * replaces-seq}, {@code replaces-hash}); the stores update the event in place, under the same id.
 *
 * <p>Kafka Streams reads a partition in order from one position: the records after {@code to} that
 * the streams had already converted are re-read too, each another replacement (the same event when
 * the converter's output did not change); the command says how many. Partitions without records in
 * the window, or not yet read that far, are left alone. The streams must be stopped (a consumer
 * group's offsets cannot be moved while it has members): every {@code streams} instance, or {@code
 * serve} — then the command opens {@code <data-dir>/kafka} itself. They re-convert when started.
 *
 * <p>The chain remembers an id for 7 days by record time ({@link
 * EnrichmentConfig#DEFAULT_ID_RETENTION}): an older record re-converted would be chained as a new
 * event without {@code replaces-seq}, and {@code verify} would report its earlier position as a
 * gap. So a window starting longer ago is refused unless {@code --force}.
 *
 * <p>Exit codes: 0 offsets moved (or nothing to re-read), 1 Kafka failed, 2 usage error, 3 the
 * streams are running (nothing changed).
 */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = {
      "Re-convert the records of atna.raw and accesslog.raw received in [--from, --to), after a converter fix:",
      "moves the streams application's offsets back; the events are replaced in place and the chain records",
      "each replacement (replaces-seq). Stop the streams (or serve) first; they re-convert when started.",
      "Exit 0 done (or nothing to re-read), 1 Kafka failed, 2 usage error, 3 the streams are running."
    })
final class ReplayCommand implements Callable<Integer> {

  /** The inputs the streams convert. */
  static final List<Topic<byte[], byte[]>> INPUTS = List.of(Topics.ATNA_RAW, Topics.ACCESSLOG_RAW);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin ToolKafkaOptions kafka;

  @Option(
      names = "--from",
      required = true,
      description = "Records with a time at or after T (ISO-8601 instant, or a date: 00:00 UTC).")
  String from;

  @Option(
      names = "--to",
      required = true,
      description = "Records with a time before T (ISO-8601 instant or date).")
  String to;

  @Option(names = "--dry-run", description = "Print what would be re-read; change nothing.")
  boolean dryRun;

  @Option(
      names = "--force",
      description =
          "Also re-convert records older than the chain's 7-day id memory (their earlier chain "
              + "positions then show as gaps in verify).")
  boolean force;

  /** One partition's move. */
  private record Move(TopicPartition tp, long start, long stop, long committed) {
    long inWindow() {
      return Math.max(0, Math.min(stop, committed) - start);
    }

    long afterWindow() {
      return Math.max(0, committed - Math.max(stop, start));
    }
  }

  @Override
  public Integer call() throws Exception {
    Instant fromTime = java.util.Objects.requireNonNull(DlqSelection.instant("--from", from));
    Instant toTime = java.util.Objects.requireNonNull(DlqSelection.instant("--to", to));
    if (!fromTime.isBefore(toTime)) {
      throw new IllegalArgumentException("--from " + from + " is not before --to " + to);
    }
    Instant remembered = Instant.now().minus(EnrichmentConfig.DEFAULT_ID_RETENTION);
    if (fromTime.isBefore(remembered) && !force) {
      throw new IllegalArgumentException(
          "--from "
              + fromTime
              + " is older than the chain's id memory ("
              + EnrichmentConfig.DEFAULT_ID_RETENTION.toDays()
              + " days, until "
              + remembered
              + "): events re-converted from older records are chained as new ones and verify reports "
              + "their earlier positions as gaps; give --force to do it anyway");
    }
    PrintWriter out = spec.commandLine().getOut();
    try (ToolKafkaOptions.ToolKafka k = kafka.open();
        Admin admin = VerifyKafka.admin(k.bootstrap(), kafka.timeout)) {
      String group = AuditTopology.APPLICATION_ID;
      Map<TopicPartition, OffsetAndMetadata> committed =
          get(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata());
      List<Move> moves = new ArrayList<>();
      try (KafkaConsumer<byte[], byte[]> c =
          VerifyKafka.committedReader(k.bootstrap(), kafka.timeout)) {
        for (Topic<byte[], byte[]> input : INPUTS) {
          List<TopicPartition> partitions = VerifyKafka.partitions(c, input.name(), kafka.timeout);
          if (partitions.isEmpty()) {
            continue; // accesslog.raw on a cluster set up before it existed
          }
          Map<TopicPartition, Long> end = c.endOffsets(partitions, kafka.timeout);
          Map<TopicPartition, Long> start = offsetsAt(c, partitions, fromTime, end);
          Map<TopicPartition, Long> stop = offsetsAt(c, partitions, toTime, end);
          for (TopicPartition tp : partitions) {
            OffsetAndMetadata position = committed.get(tp);
            long read = position == null ? 0 : position.offset();
            Move m = new Move(tp, start.getOrDefault(tp, 0L), stop.getOrDefault(tp, 0L), read);
            if (m.start() < m.stop() && m.start() < read) {
              moves.add(m);
            }
          }
        }
      }
      for (Move m : moves) {
        out.println(
            (dryRun ? "would re-read " : "re-reads ")
                + m.tp().topic()
                + "/"
                + m.tp().partition()
                + " from offset "
                + m.start()
                + " (read up to "
                + m.committed()
                + "): "
                + m.inWindow()
                + " record(s) in the window"
                + (m.afterWindow() > 0 ? ", " + m.afterWindow() + " after --to re-read too" : ""));
      }
      long inWindow = moves.stream().mapToLong(Move::inWindow).sum();
      long after = moves.stream().mapToLong(Move::afterWindow).sum();
      if (moves.isEmpty()) {
        out.println(
            "nothing to re-read: the streams have not read any record of ["
                + fromTime
                + ", "
                + toTime
                + ") yet (they convert what they have not read when they run)");
        out.flush();
        return 0;
      }
      if (dryRun) {
        out.println(
            "dry run: nothing changed (" + inWindow + " in the window, " + after + " after)");
        out.flush();
        return 0;
      }
      ConsumerGroupDescription described =
          get(admin.describeConsumerGroups(List.of(group)).all()).get(group);
      if (described != null && !described.members().isEmpty()) {
        return running(described.members().size());
      }
      Map<TopicPartition, OffsetAndMetadata> reset = new HashMap<>();
      moves.forEach(m -> reset.put(m.tp(), new OffsetAndMetadata(m.start())));
      try {
        get(admin.alterConsumerGroupOffsets(group, reset).all());
      } catch (ExecutionException e) {
        if (e.getCause() instanceof GroupNotEmptyException
            || e.getCause() instanceof UnknownMemberIdException) {
          return running(-1);
        }
        if (e.getCause() instanceof GroupIdNotFoundException) {
          throw new IllegalStateException("the streams application never ran at " + k.describe());
        }
        throw e;
      }
      out.println(
          "replay: "
              + inWindow
              + " record(s) in ["
              + fromTime
              + ", "
              + toTime
              + ") and "
              + after
              + " after it will be re-converted when the streams start ("
              + k.describe()
              + ")");
      out.flush();
      return 0;
    }
  }

  private int running(int members) {
    spec.commandLine()
        .getErr()
        .println(
            "atna-bridge: the streams application (consumer group "
                + AuditTopology.APPLICATION_ID
                + ") is running"
                + (members > 0 ? " with " + members + " member(s)" : "")
                + ": stop every streams instance (or serve) and run replay again; nothing was changed");
    return 3;
  }

  /** Per partition, the first offset with a record time at or after {@code t}, else the end. */
  private Map<TopicPartition, Long> offsetsAt(
      KafkaConsumer<byte[], byte[]> c,
      List<TopicPartition> partitions,
      Instant t,
      Map<TopicPartition, Long> end) {
    Map<TopicPartition, Long> query = new HashMap<>();
    partitions.forEach(tp -> query.put(tp, t.toEpochMilli()));
    Map<TopicPartition, OffsetAndTimestamp> found = c.offsetsForTimes(query, kafka.timeout);
    Map<TopicPartition, Long> offsets = new HashMap<>();
    for (TopicPartition tp : partitions) {
      OffsetAndTimestamp o = found.get(tp);
      offsets.put(tp, o == null ? end.getOrDefault(tp, 0L) : o.offset());
    }
    return offsets;
  }

  private <T> T get(KafkaFuture<T> future) throws Exception {
    try {
      return future.get(kafka.timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(
          "Kafka did not answer within " + kafka.timeout.toSeconds() + " s", e);
    }
  }
}
