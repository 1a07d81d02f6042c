package org.atnabridge.allinone;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import org.atnabridge.schemas.chain.ChainReport;
import org.atnabridge.schemas.chain.ChainVerifier;
import org.atnabridge.schemas.chain.Checkpoint;
import org.atnabridge.schemas.chain.PendingTail;
import org.atnabridge.schemas.chain.ReceiptTime;
import org.atnabridge.schemas.chain.StoredChains;
import org.atnabridge.store.indexer.AuditIndexer;
import org.atnabridge.streams.chain.CheckpointKeys;
import org.hl7.fhir.r5.model.AuditEvent;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code atna-bridge verify [--from T] [--to T] [--url URL] [--kafka-bootstrap HOST:PORT]}:
 * re-reads the stored AuditEvents through the running FHIR server ({@code GET
 * URL/fhir/AuditEvent?_count=1000}, following the {@code next} links), the signed checkpoints from
 * {@code audit.checkpoints} and the indexer's committed position on {@code audit.enriched} ({@link
 * IndexerProgress}), and checks the hash chain with {@link ChainVerifier}, the same check as {@code
 * GET /fhir/AuditEvent/$verify}. Prints one line per finding (gap, reordering, altered event, bad
 * signature, ...) with its exact sequence numbers, one line per chain with events not yet indexed
 * ({@code PENDING}), then a summary.
 *
 * <ul>
 *   <li>A window ({@code --from}, {@code --to}) is the chain positions whose events the repository
 *       <em>received</em> in it ({@link ReceiptTime}), from the first to the last of them per
 *       chain, not the events {@code recorded} in it: {@code recorded} is the sender's clock and
 *       may lie years before the receipt.
 *   <li>A chain is checked for gaps up to what the indexer has durably indexed; the rest is
 *       pending, and a finding ({@code PENDING_OVERDUE}) only once its oldest event was received
 *       longer than {@code --pending-bound} ago.
 *   <li>The broker is the one {@code serve} recorded in {@code --data-dir} ({@link BrokerRecord});
 *       a {@code --kafka-bootstrap} of another cluster, or checkpoints signed only by another key,
 *       are refused (exit 2) rather than reported as tampering.
 * </ul>
 *
 * <p>Exit codes: 0 intact, 1 not intact (or the check could not be made), 2 usage error or the
 * wrong instance.
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Verify the tamper-evident hash chain of the stored AuditEvents and the signed checkpoints.",
      "Reports every gap, reordering, altered event and bad signature with its sequence numbers, and the events "
          + "chained but not yet indexed (pending).",
      "Exit 0 intact, 1 not intact, 2 usage error or another instance's broker or key."
    })
final class VerifyCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--from",
      description =
          "Only the chain positions whose events were received at or after T "
              + "(ISO-8601 instant or date, a date meaning 00:00 UTC; the receipt time, not recorded).")
  @Nullable String from;

  @Option(
      names = "--to",
      description =
          "Only the chain positions whose events were received before T "
              + "(ISO-8601 instant or date).")
  @Nullable String to;

  @Option(
      names = "--url",
      defaultValue = "${env:ATNA_URL:-http://127.0.0.1:8080}",
      description =
          "The running server (env ATNA_URL; default ${DEFAULT-VALUE}); /fhir is appended when missing.")
  String url;

  @Option(
      names = "--kafka-bootstrap",
      defaultValue = "${env:ATNA_KAFKA_BOOTSTRAP}",
      description =
          "Kafka holding audit.checkpoints (env ATNA_KAFKA_BOOTSTRAP; default: the broker serve recorded in "
              + "<data-dir>/"
              + BrokerRecord.FILE
              + ", else "
              + InstanceChecks.DEFAULT_BOOTSTRAP
              + "). Refused when it is another "
              + "cluster than the recorded one.")
  @Nullable String kafkaBootstrap;

  @Option(
      names = "--public-key",
      description =
          "Trusted Ed25519 public key (PEM) of the checkpoints (default <data-dir>/keys/"
              + CheckpointKeys.PUBLIC_FILE
              + ").")
  @Nullable Path publicKey;

  @Option(
      names = "--no-checkpoints",
      description = "Check hashes and links only (no Kafka, no signatures, no pending).")
  boolean noCheckpoints;

  @Option(
      names = "--token",
      defaultValue = "${env:ATNA_TOKEN:-}",
      description =
          "Bearer token for the FHIR API (env ATNA_TOKEN); default: one minted with the local issuer key "
              + "of --data-dir, when readable.")
  String token;

  @Option(
      names = "--data-dir",
      defaultValue = "${env:ATNA_DATA_DIR:-./data}",
      description =
          "Data dir of the local serve: its recorded broker, checkpoint key and token key are used "
              + "(env ATNA_DATA_DIR; default ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(
      names = "--timeout",
      defaultValue = "PT30S",
      converter = DurationConverter.class,
      description = "Per-request timeout, e.g. 30s or PT30S (default ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(
      names = "--pending-bound",
      defaultValue = "5m",
      converter = DurationConverter.class,
      description =
          "How long a received event may stay not yet indexed before that is a finding (PENDING_OVERDUE), "
              + "e.g. 5m or PT5M (default ${DEFAULT-VALUE}).")
  Duration pendingBound;

  @Option(
      names = "--indexer-group",
      defaultValue = AuditIndexer.DEFAULT_GROUP,
      description =
          "The indexer's Kafka consumer group, whose committed position on audit.enriched tells what is "
              + "indexed (default ${DEFAULT-VALUE}).")
  String indexerGroup;

  @Override
  public Integer call() throws Exception {
    String base = url.replaceAll("/+$", "");
    if (!base.matches("https?://\\S+")) {
      throw new IllegalArgumentException("--url must look like http://host:port, got: " + url);
    }
    if (!base.endsWith("/fhir")) {
      base = base + "/fhir";
    }
    String fromBound = bound("--from", from);
    String toBound = bound("--to", to);
    PublicKey key = null;
    List<Checkpoint> checkpoints = List.of();
    List<PendingTail> pending = List.of();
    if (publicKey == null) {
      publicKey = dataDir.resolve("keys").resolve(CheckpointKeys.PUBLIC_FILE);
    }
    if (!noCheckpoints) {
      if (!Files.isReadable(publicKey)) {
        throw new IllegalArgumentException(
            "--public-key "
                + publicKey
                + " is not readable (it is "
                + "<data-dir>/keys/"
                + CheckpointKeys.PUBLIC_FILE
                + " of the serve that signed; or use --no-checkpoints)");
      }
      key = CheckpointKeys.readPublicKey(publicKey);
      String bootstrap = InstanceChecks.broker(dataDir, kafkaBootstrap, timeout);
      // checkpoints, then the indexer's position, then the store: a checkpointed number is either
      // indexed by the time the position is read (and then found) or pending
      checkpoints = readCheckpoints(bootstrap, timeout);
      InstanceChecks.refuseOtherInstance(checkpoints, key, publicKey, bootstrap);
      pending = IndexerProgress.read(bootstrap, indexerGroup, timeout);
    }
    StoredEventReader reader =
        new StoredEventReader(timeout, StoredEventReader.bearer(token, dataDir));
    // every stored event: the window is chosen by receipt time, which the API does not search by
    List<AuditEvent> all = reader.fetch(base);
    Instant fromInstant = fromBound == null ? null : instant(fromBound);
    Instant toInstant = toBound == null ? null : instant(toBound);
    boolean window = fromInstant != null || toInstant != null;
    List<AuditEvent> events =
        window
            ? all.stream().filter(e -> ReceiptTime.within(e, fromInstant, toInstant)).toList()
            : all;
    StoredChains stored = new StoredChains(all);
    ChainReport report =
        ChainVerifier.verify(
            events,
            checkpoints,
            key,
            window,
            stored::byId,
            stored::at,
            pending,
            pendingBound,
            Instant.now());
    VerifyReport.print(spec.commandLine().getOut(), report, noCheckpoints);
    return report.intact() ? 0 : 1;
  }

  private static Instant instant(String bound) {
    return bound.length() == 10
        ? LocalDate.parse(bound).atStartOfDay(ZoneOffset.UTC).toInstant()
        : Instant.parse(bound);
  }

  private static @Nullable String bound(String option, @Nullable String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(value.trim()).toString();
    } catch (DateTimeParseException e) {
      try {
        return LocalDate.parse(value.trim()).toString();
      } catch (DateTimeParseException e2) {
        throw new IllegalArgumentException(
            option + " must be an ISO-8601 instant or date, got: " + value);
      }
    }
  }

  /**
   * Every checkpoint in {@code audit.checkpoints}, read from the start to the current end
   * (committed only).
   */
  static List<Checkpoint> readCheckpoints(String bootstrap, Duration timeout) {
    return CheckpointReader.readAll(bootstrap, timeout);
  }
}
