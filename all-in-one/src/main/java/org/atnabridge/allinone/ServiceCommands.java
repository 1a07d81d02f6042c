package org.atnabridge.allinone;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.atnabridge.store.AuditStore;
import org.atnabridge.store.indexer.AuditIndexer;
import org.atnabridge.streams.chain.CheckpointKeys;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * One command per service, each run alone against an external Kafka ({@code --kafka-bootstrap},
 * required) so that each can be scaled, placed and restarted on its own; {@code serve} runs the
 * four together. Each serves {@code /health/live}, {@code /health/ready} and {@code /metrics}:
 * {@code api} on its API port, the others on {@code --health-port}.
 */
final class ServiceCommands {

  private static final Logger LOG = LoggerFactory.getLogger(ServiceCommands.class);

  private ServiceCommands() {}

  /**
   * Starts a {@link ServiceProcess} and the service on it; a failing start closes what was opened.
   */
  static ServiceProcess start(
      PipelineConfig config, Function<ServiceProcess, AutoCloseable> service) {
    ServiceProcess process = new ServiceProcess(config);
    try {
      process.parts.add(service.apply(process));
      return process;
    } catch (RuntimeException e) {
      process.close();
      throw e;
    }
  }

  @Command(
      name = "ingest",
      mixinStandardHelpOptions = true,
      description = {
        "Run the syslog listeners (TCP, UDP, TLS) writing to atna.raw on an external Kafka.",
        "With --ingest-http-port also POST /ingest/access-logs (to accesslog.raw), tokens checked as "
            + "atna-bridge api checks them (the local issuer's key under <data-dir>/keys, or --oidc-issuer)."
      })
  static final class Ingest implements Callable<Integer> {
    @Mixin ExternalKafkaOptions kafka;
    @Mixin SyslogOptions syslog;
    @Mixin HealthPortOptions health;
    @Mixin AccessLogIntakeOptions accessLogs;
    @Mixin DataDirOption data;
    @Mixin IngestHttpOptions http;
    @Mixin AuthOptions auth;

    @Override
    public Integer call() throws InterruptedException {
      PipelineConfig.Builder b = PipelineConfig.builder(data.dataDir);
      kafka.applyTo(b, "ingest");
      b.accessLogIntake(accessLogs.intake());
      http.applyTo(b, auth);
      PipelineConfig config = syslog.applyTo(b).build();
      health.validate();
      PortCheck.ingest(config, health).ingestHttp(http).verify();
      return ServiceRun.untilStopped(
          "ingest",
          null,
          () ->
              start(
                  config,
                  p -> {
                    IngestService s = IngestService.start(config, p.bootstrap, p.registry);
                    p.readiness.add(s.checks());
                    if (http.enabled()) {
                      HttpIntakeService intake =
                          p.parts.add(
                              HttpIntakeService.start(
                                  config, http.host, http.port, p.bootstrap, p.registry));
                      p.readiness.add(intake.checks());
                    }
                    p.serveHealth(health);
                    return s;
                  }));
    }
  }

  @Command(
      name = "streams",
      mixinStandardHelpOptions = true,
      description = {
        "Run the audit streams application (convert, enrich, label, chain) on an external Kafka.",
        "State under <data-dir>/streams; the checkpoint signing key under <data-dir>/keys."
      })
  static final class Streams implements Callable<Integer> {
    @Mixin DataDirOption data;
    @Mixin ExternalKafkaOptions kafka;
    @Mixin HealthPortOptions health;
    @Mixin AccessLogSourcesOption accessLogSources;
    @Mixin AlertRulesOption alertRules;

    @Override
    public Integer call() throws InterruptedException {
      PipelineConfig.Builder b = PipelineConfig.builder(data.dataDir);
      b.accessLogSources(accessLogSources.file()).alertRules(alertRules.file());
      PipelineConfig config = kafka.applyTo(b, "streams").build();
      health.validate();
      PortCheck.healthOnly(health).verify();
      return ServiceRun.untilStopped(
          "streams",
          data.dataDir,
          () ->
              start(
                  config,
                  p -> {
                    StreamsPart s = StreamsPart.start(config, p.bootstrap, p.registry);
                    p.readiness.add(s.checks());
                    p.serveHealth(health);
                    return s;
                  }));
    }
  }

  @Command(
      name = "indexer",
      mixinStandardHelpOptions = true,
      description = {
        "Index audit.enriched from an external Kafka into the store: Lucene under <data-dir>/index, or "
            + "Elasticsearch (--elasticsearch-url).",
        "Also runs the relabel job (reference patients' labels) and retention."
      })
  static final class Indexer implements Callable<Integer> {
    @Mixin DataDirOption data;
    @Mixin ExternalKafkaOptions kafka;
    @Mixin StoreOptions store;
    @Mixin RetentionOptions retention;
    @Mixin HealthOptions readiness;
    @Mixin HealthPortOptions health;

    @Override
    public Integer call() throws InterruptedException {
      PipelineConfig.Builder b = PipelineConfig.builder(data.dataDir);
      kafka.applyTo(b, "indexer");
      store.applyTo(b);
      PipelineConfig config = readiness.applyTo(b).build();
      RetentionSettings keep = retention.retention();
      ElasticsearchLayout layout = store.layout();
      health.validate();
      PortCheck.healthOnly(health).verify();
      return ServiceRun.untilStopped(
          "indexer",
          data.dataDir,
          () ->
              start(
                  config,
                  p -> {
                    IndexerService s =
                        IndexerService.start(config, keep, layout, p.bootstrap, p.registry);
                    p.readyOnceReachable(s.store());
                    p.readiness
                        .add(s.checks())
                        .add(p.kafka.lag(AuditIndexer.DEFAULT_GROUP, config.readyMaxLag()));
                    p.serveHealth(health);
                    return s;
                  }));
    }
  }

  @Command(
      name = "api",
      mixinStandardHelpOptions = true,
      description = {
        "Run the FHIR server over Elasticsearch (--elasticsearch-url, required), its Feed to an external "
            + "Kafka.",
        "Tokens: the local issuer's key under <data-dir>/keys, or --oidc-issuer. $verify checks checkpoint "
            + "signatures with <data-dir>/keys/"
            + CheckpointKeys.PUBLIC_FILE
            + " (copy it from streams' data dir)."
      })
  static final class Api implements Callable<Integer> {
    @Mixin DataDirOption data;
    @Mixin ExternalKafkaOptions kafka;
    @Mixin HttpOptions http;
    @Mixin AuthOptions auth;
    @Mixin StoreOptions store;
    @Mixin AccessLogScrubOption accessLogs;
    @Mixin SubscriptionOptions subscriptions;

    @Override
    public Integer call() throws InterruptedException {
      PipelineConfig.Builder b = PipelineConfig.builder(data.dataDir);
      kafka.applyTo(b, "api");
      subscriptions.applyTo(b);
      store.applyTo(b);
      b.accessLogIntake(accessLogs.intake());
      PipelineConfig config = http.applyTo(b, auth).build();
      if (config.elasticsearchUrl() == null) {
        // a Lucene index has one writer, in the indexer's (or serve's) process; the API alone reads
        // a store other processes write only through Elasticsearch
        throw new IllegalArgumentException(
            "--elasticsearch-url is required by atna-bridge api: the Lucene index "
                + "under --data-dir belongs to the one process that writes it (atna-bridge serve, or indexer without "
                + "an API); split deployments share Elasticsearch");
      }
      ElasticsearchLayout layout = store.layout();
      PortCheck.api(config).verify();
      return ServiceRun.untilStopped(
          "api",
          data.dataDir,
          () ->
              start(
                  config,
                  p -> {
                    AuditStore events = p.parts.add(IndexerService.openStore(config, layout));
                    p.readyOnceReachable(events);
                    return ApiService.start(
                        config,
                        p.bootstrap,
                        events,
                        checkpointKey(config),
                        p.readiness,
                        p.registry);
                  }));
    }

    /**
     * The streams' public key, when its file was put in this data dir; else $verify checks hashes
     * and links only.
     */
    private static @Nullable PublicKey checkpointKey(PipelineConfig config) {
      Path file = config.keysDir().resolve(CheckpointKeys.PUBLIC_FILE);
      if (!Files.isReadable(file)) {
        LOG.warn("no {}: $verify checks hashes and links only, not checkpoint signatures", file);
        return null;
      }
      try {
        return CheckpointKeys.readPublicKey(file);
      } catch (java.io.IOException | java.security.GeneralSecurityException e) {
        throw new IllegalArgumentException(
            "--data-dir: " + file + " is not an Ed25519 public key: " + e.getMessage(), e);
      }
    }
  }
}
