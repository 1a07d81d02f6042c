package org.atnabridge.allinone;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
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
import org.atnabridge.search.security.LocalIssuer;
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
 * URL/fhir/AuditEvent?date=geFROM&date=ltTO&_count=1000}, following the {@code next} links) and
 * the signed checkpoints from {@code audit.checkpoints}, and checks the hash chain with {@link
 * ChainVerifier}, the same check as {@code GET /fhir/AuditEvent/$verify}. Prints one line per
 * finding (gap, reordering, altered event, bad signature, ...) with its exact sequence numbers,
 * then a summary.
 *
 * <p>Exit codes: 0 intact, 1 not intact (or the check could not be made), 2 usage error.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = {"Verify the tamper-evident hash chain of the stored AuditEvents and the signed checkpoints.",
        "Reports every gap, reordering, altered event and bad signature with its sequence numbers.",
        "Exit 0 intact, 1 not intact, 2 usage error."})
final class VerifyCommand implements Callable<Integer> {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--from", description = "Only events recorded at or after T (ISO-8601 instant or date).")
  @Nullable String from;

  @Option(names = "--to", description = "Only events recorded before T (ISO-8601 instant or date).")
  @Nullable String to;

  @Option(names = "--url", defaultValue = "${env:ATNA_URL:-http://127.0.0.1:8080}",
      description = "The running server (env ATNA_URL; default ${DEFAULT-VALUE}); /fhir is appended when missing.")
  String url;

  @Option(names = "--kafka-bootstrap", defaultValue = "${env:ATNA_KAFKA_BOOTSTRAP:-127.0.0.1:9092}",
      description = "Kafka holding audit.checkpoints (env ATNA_KAFKA_BOOTSTRAP; default ${DEFAULT-VALUE}).")
  String kafkaBootstrap;

  @Option(names = "--public-key",
      description = "Trusted Ed25519 public key (PEM) of the checkpoints (default <data-dir>/keys/"
          + CheckpointKeys.PUBLIC_FILE + ").")
  @Nullable Path publicKey;

  @Option(names = "--no-checkpoints", description = "Check hashes and links only (no Kafka, no signatures).")
  boolean noCheckpoints;

  @Option(names = "--token", defaultValue = "${env:ATNA_TOKEN:-}",
      description = "Bearer token for the FHIR API (env ATNA_TOKEN); default: one minted with the local issuer key "
          + "of --data-dir, when readable.")
  String token;

  @Option(names = "--data-dir", defaultValue = "${env:ATNA_DATA_DIR:-./data}",
      description = "Data dir of the local serve, whose token key is used when --token is not given "
          + "(env ATNA_DATA_DIR; default ${DEFAULT-VALUE}).")
  Path dataDir;

  private @Nullable String bearer;

  @Option(names = "--timeout", defaultValue = "PT30S", converter = DurationConverter.class,
      description = "Per-request timeout, e.g. 30s or PT30S (default ${DEFAULT-VALUE}).")
  Duration timeout;

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
    if (publicKey == null) {
      publicKey = dataDir.resolve("keys").resolve(CheckpointKeys.PUBLIC_FILE);
    }
    if (!noCheckpoints) {
      if (!Files.isReadable(publicKey)) {
        throw new IllegalArgumentException("--public-key " + publicKey + " is not readable (it is "
            + "<data-dir>/keys/" + CheckpointKeys.PUBLIC_FILE + " of the serve that signed; or use --no-checkpoints)");
      }
      key = CheckpointKeys.readPublicKey(publicKey);
      checkpoints = readCheckpoints(kafkaBootstrap, timeout);
    }
    bearer = bearer();
    HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build();
    List<AuditEvent> events = fetch(http, base, fromBound, toBound);
    String fhirBase = base;
    ChainReport report = ChainVerifier.verify(events, checkpoints, key, fromBound != null || toBound != null,
        id -> read(http, fhirBase, id));
    PrintWriter out = spec.commandLine().getOut();
    for (ChainFinding f : report.findings()) {
      out.println(f);
    }
    out.println((report.intact() ? "INTACT: " : "NOT INTACT: " + report.findings().size() + " finding(s); ")
        + report.eventsChecked() + " events, " + report.checkpointsChecked() + " checkpoints checked"
        + (report.signaturesChecked() ? "" : " (signatures not checked)"));
    out.flush();
    return report.intact() ? 0 : 1;
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
        throw new IllegalArgumentException(option + " must be an ISO-8601 instant or date, got: " + value);
      }
    }
  }

  private List<AuditEvent> fetch(HttpClient http, String base, @Nullable String fromBound, @Nullable String toBound)
      throws IOException, InterruptedException {
    StringBuilder q = new StringBuilder(base).append("/AuditEvent?_count=1000");
    if (fromBound != null) {
      q.append("&date=").append(URLEncoder.encode("ge" + fromBound, StandardCharsets.UTF_8));
    }
    if (toBound != null) {
      q.append("&date=").append(URLEncoder.encode("lt" + toBound, StandardCharsets.UTF_8));
    }
    List<AuditEvent> events = new ArrayList<>();
    String next = q.toString();
    while (next != null) {
      HttpResponse<String> r = get(http, next);
      if (r.statusCode() == 401 || r.statusCode() == 403) {
        throw new IllegalStateException("GET " + next + " answered " + r.statusCode() + ": give --token (a token with "
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

  private Optional<AuditEvent> read(HttpClient http, String base, String id) {
    try {
      HttpResponse<String> r = get(http, base + "/AuditEvent/" + URLEncoder.encode(id, StandardCharsets.UTF_8));
      return r.statusCode() == 200 ? Optional.of(Fhir.auditEventFromJson(r.body())) : Optional.empty();
    } catch (IOException e) {
      throw new IllegalStateException("GET AuditEvent/" + id + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private HttpResponse<String> get(HttpClient http, String uri) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri)).timeout(timeout)
        .header("Accept", "application/fhir+json").GET();
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
    return LocalIssuer.open(keys).mint("atna-bridge-verify", "system/AuditEvent.rs", null, Set.of("V"),
        Duration.ofMinutes(10));
  }

  /** Every checkpoint in {@code audit.checkpoints}, read from the start to the current end (committed only). */
  static List<Checkpoint> readCheckpoints(String bootstrap, Duration timeout) {
    Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.GROUP_ID_CONFIG, "atna-bridge-verify-" + UUID.randomUUID(),
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    List<Checkpoint> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = c.partitionsFor(Topics.AUDIT_CHECKPOINTS.name(), timeout).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      if (partitions.isEmpty()) {
        return out;
      }
      c.assign(partitions);
      c.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = c.endOffsets(partitions, timeout);
      long deadline = System.nanoTime() + timeout.toNanos() * 10;
      while (partitions.stream().anyMatch(p -> c.position(p) < end.getOrDefault(p, 0L))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("reading " + Topics.AUDIT_CHECKPOINTS.name() + " timed out");
        }
        c.poll(Duration.ofMillis(200)).forEach(r -> {
          try {
            out.add(Checkpoint.fromJson(r.value()));
          } catch (IllegalArgumentException e) {
            // an unreadable record can be no valid checkpoint: report it as a bad signature
            out.add(new Checkpoint(-1, r.offset(), "", Instant.EPOCH, "unreadable", ""));
          }
        });
      }
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      throw new IllegalStateException("cannot read " + Topics.AUDIT_CHECKPOINTS.name() + " from " + bootstrap
          + " (use --no-checkpoints to check hashes and links only): " + e.getMessage(), e);
    }
    return out;
  }
}
