package org.atnabridge.allinone;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.schemas.Topics;
import org.atnabridge.schemas.chain.ChainFinding;
import org.atnabridge.schemas.chain.ChainReport;
import org.atnabridge.schemas.chain.ChainVerifier;
import org.atnabridge.schemas.chain.Checkpoint;
import org.atnabridge.schemas.chain.PendingTail;
import org.atnabridge.schemas.chain.ReceiptTime;
import org.atnabridge.schemas.chain.StoredChains;
import org.atnabridge.search.security.LocalIssuer;
import org.atnabridge.store.indexer.AuditIndexer;
import org.atnabridge.streams.chain.CheckpointKeys;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Bundle;
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

  private static final String DEFAULT_BOOTSTRAP = "127.0.0.1:9092";

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
              + DEFAULT_BOOTSTRAP
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

  private @Nullable String bearer;

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
      String bootstrap = broker();
      // checkpoints, then the indexer's position, then the store: a checkpointed number is either
      // indexed by the time the position is read (and then found) or pending
      checkpoints = readCheckpoints(bootstrap, timeout);
      refuseOtherInstance(checkpoints, key, bootstrap);
      pending = IndexerProgress.read(bootstrap, indexerGroup, timeout);
    }
    bearer = bearer();
    HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build();
    // every stored event: the window is chosen by receipt time, which the API does not search by
    List<AuditEvent> all = fetch(http, base);
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
    PrintWriter out = spec.commandLine().getOut();
    for (ChainFinding f : report.findings()) {
      out.println(f);
    }
    for (PendingTail t : report.pending()) {
      if (t.count() > 0) {
        out.println(pendingLine(t, Instant.now()));
      }
    }
    out.println(
        (report.intact() ? "INTACT: " : "NOT INTACT: " + report.findings().size() + " finding(s); ")
            + report.eventsChecked()
            + " events, "
            + report.checkpointsChecked()
            + " checkpoints checked"
            + (report.signaturesChecked() ? "" : " (signatures not checked)")
            + (noCheckpoints
                ? ""
                : "; " + report.pendingCount() + " pending (chained, not yet indexed)"));
    out.flush();
    return report.intact() ? 0 : 1;
  }

  /**
   * {@code PENDING partition 1 seq 41..43: 3 event(s) chained, not yet indexed, the oldest received
   * T (4 s ago)}.
   */
  static String pendingLine(PendingTail t, Instant now) {
    long first = t.indexedThrough() + 1;
    Instant oldest = t.oldestReceipt();
    return "PENDING partition "
        + t.partition()
        + " seq "
        + (first == t.lastSeq() ? Long.toString(first) : first + ".." + t.lastSeq())
        + ": "
        + t.count()
        + " event(s) chained, not yet indexed"
        + (oldest == null
            ? ""
            : ", the oldest received "
                + oldest
                + " ("
                + Duration.between(oldest, now).toSeconds()
                + " s ago)");
  }

  /**
   * The broker of {@code --data-dir}: the one {@code serve} recorded there, unless {@code
   * --kafka-bootstrap} names another address of the same cluster. Another cluster is refused (exit
   * 2): its checkpoints would not verify with this data dir's key.
   */
  private String broker() {
    Optional<BrokerRecord> recorded = BrokerRecord.read(dataDir);
    String given =
        kafkaBootstrap == null || kafkaBootstrap.isBlank() ? null : kafkaBootstrap.trim();
    if (recorded.isEmpty()) {
      return given == null ? DEFAULT_BOOTSTRAP : given;
    }
    BrokerRecord r = recorded.get();
    String bootstrap = given == null ? r.bootstrap() : given;
    String clusterId;
    try {
      clusterId = BrokerRecord.clusterId(bootstrap, timeout);
    } catch (IllegalStateException e) {
      if (given == null) {
        throw new IllegalStateException(
            "the broker of --data-dir "
                + dataDir
                + " ("
                + r.bootstrap()
                + ", recorded in "
                + dataDir.resolve(BrokerRecord.FILE)
                + ") does not answer: is its serve running? (or give --kafka-bootstrap)");
      }
      throw e;
    }
    if (!clusterId.equals(r.clusterId())) {
      throw new IllegalArgumentException(
          (given == null
                  ? "the broker recorded for --data-dir " + dataDir + " at " + bootstrap
                  : "--kafka-bootstrap " + bootstrap)
              + " is Kafka cluster "
              + clusterId
              + ", but --data-dir "
              + dataDir
              + " belongs to cluster "
              + r.clusterId()
              + " at "
              + r.bootstrap()
              + " (recorded in "
              + dataDir.resolve(BrokerRecord.FILE)
              + " by serve): give the --kafka-bootstrap of that cluster, or the "
              + "--data-dir of the instance at "
              + bootstrap
              + "; nothing was verified");
    }
    return bootstrap;
  }

  /**
   * Checkpoints that are all signed by another key than the trusted one come from another instance
   * (or the key does): refused, naming both key ids, rather than one tamper finding per checkpoint.
   */
  private void refuseOtherInstance(List<Checkpoint> checkpoints, PublicKey key, String bootstrap) {
    String trusted = Checkpoint.keyId(key);
    if (!checkpoints.isEmpty()
        && checkpoints.stream()
            .allMatch(cp -> cp.keyId().matches("[0-9a-f]{16}") && !cp.keyId().equals(trusted))) {
      throw new IllegalArgumentException(
          "the checkpoints in "
              + Topics.AUDIT_CHECKPOINTS.name()
              + " at "
              + bootstrap
              + " are signed by another instance's key (key "
              + checkpoints.stream()
                  .map(Checkpoint::keyId)
                  .distinct()
                  .collect(Collectors.joining(", "))
              + "), not by --public-key "
              + publicKey
              + " (key "
              + trusted
              + "): --kafka-bootstrap and --data-dir/--public-key belong to different instances; nothing was verified");
    }
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

  private List<AuditEvent> fetch(HttpClient http, String base)
      throws IOException, InterruptedException {
    StringBuilder q = new StringBuilder(base).append("/AuditEvent?_count=1000");
    List<AuditEvent> events = new ArrayList<>();
    String next = q.toString();
    while (next != null) {
      HttpResponse<String> r = get(http, next);
      if (r.statusCode() == 401 || r.statusCode() == 403) {
        throw new IllegalStateException(
            "GET "
                + next
                + " answered "
                + r.statusCode()
                + ": give --token (a token with "
                + "scope system/AuditEvent.rs and clearance V), or --data-dir of the local serve");
      }
      if (r.statusCode() != 200) {
        throw new IllegalStateException("GET " + next + " answered " + r.statusCode());
      }
      Bundle page = Fhir.jsonParser().parseResource(Bundle.class, r.body());
      for (Bundle.BundleEntryComponent e : page.getEntry()) {
        if (e.getResource() instanceof AuditEvent ae) {
          events.add(ae);
        }
      }
      Bundle.BundleLinkComponent link = page.getLink("next");
      next = link == null ? null : link.getUrl();
    }
    return events;
  }

  private HttpResponse<String> get(HttpClient http, String uri)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(uri))
            .timeout(timeout)
            .header("Accept", "application/fhir+json")
            .GET();
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * {@code --token}, else a short-lived token from the local issuer: the chain can only be checked
   * over every event, so it asks for system-wide read and the highest label clearance.
   */
  private @Nullable String bearer() {
    if (token != null && !token.isBlank()) {
      return token.trim();
    }
    Path keys = dataDir.resolve("keys");
    if (!Files.isReadable(keys.resolve(LocalIssuer.KEY_FILE))) {
      return null;
    }
    return LocalIssuer.open(keys)
        .mint(
            "atna-bridge-verify",
            "system/AuditEvent.rs",
            null,
            Set.of("V"),
            Duration.ofMinutes(10));
  }

  /**
   * Every checkpoint in {@code audit.checkpoints}, read from the start to the current end
   * (committed only).
   */
  static List<Checkpoint> readCheckpoints(String bootstrap, Duration timeout) {
    Map<String, Object> props =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ConsumerConfig.GROUP_ID_CONFIG,
            "atna-bridge-verify-" + UUID.randomUUID(),
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed",
            ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
            (int) timeout.toMillis());
    List<Checkpoint> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          c.partitionsFor(Topics.AUDIT_CHECKPOINTS.name(), timeout).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      if (partitions.isEmpty()) {
        return out;
      }
      c.assign(partitions);
      c.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = c.endOffsets(partitions, timeout);
      long deadline = System.nanoTime() + timeout.toNanos() * 10;
      while (partitions.stream().anyMatch(p -> c.position(p) < end.getOrDefault(p, 0L))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "reading " + Topics.AUDIT_CHECKPOINTS.name() + " timed out");
        }
        c.poll(Duration.ofMillis(200))
            .forEach(
                r -> {
                  try {
                    out.add(Checkpoint.fromJson(r.value()));
                  } catch (IllegalArgumentException e) {
                    // an unreadable record can be no valid checkpoint: report it as a bad signature
                    out.add(new Checkpoint(-1, r.offset(), "", Instant.EPOCH, "unreadable", ""));
                  }
                });
      }
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      throw new IllegalStateException(
          "cannot read "
              + Topics.AUDIT_CHECKPOINTS.name()
              + " from "
              + bootstrap
              + " (use --no-checkpoints to check hashes and links only): "
              + e.getMessage(),
          e);
    }
    return out;
  }
}
