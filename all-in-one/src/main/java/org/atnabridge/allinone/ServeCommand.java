package org.atnabridge.allinone;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code atna-bridge serve}: the whole pipeline in this JVM until SIGTERM/SIGINT — the services
 * {@code ingest}, {@code streams}, {@code indexer} and {@code api} together, with the embedded
 * broker unless {@code --kafka-bootstrap} is given. Every option has an environment variable; the
 * command line wins over the environment.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description =
        "Run the embedded Kafka broker, syslog intake, conversion, indexing and the FHIR server.")
final class ServeCommand implements Callable<Integer> {

  @Mixin DataDirOption data;
  @Mixin HttpOptions http;
  @Mixin AuthOptions auth;
  @Mixin SyslogOptions syslog;
  @Mixin KafkaOptions kafka;
  @Mixin StoreOptions store;
  @Mixin RetentionOptions retention;
  @Mixin HealthOptions health;
  @Mixin AccessLogIntakeOptions accessLogs;
  @Mixin AccessLogSourcesOption accessLogSources;
  @Mixin AlertRulesOption alertRules;
  @Mixin SubscriptionOptions subscriptions;

  @Override
  public Integer call() throws InterruptedException {
    PipelineConfig.Builder config = PipelineConfig.builder(data.dataDir);
    syslog.applyTo(config);
    http.applyTo(config, auth);
    kafka.applyTo(config);
    store.applyTo(config);
    health.applyTo(config);
    config.accessLogIntake(accessLogs.intake()).accessLogSources(accessLogSources.file());
    config.alertRules(alertRules.file());
    subscriptions.applyTo(config);
    PipelineConfig settings = config.build();
    PortCheck.serve(settings).verify();
    RetentionSettings keep = retention.retention();
    ElasticsearchLayout layout = store.layout();
    return ServiceRun.untilStopped(
        "serve", data.dataDir, () -> new Pipeline(settings, keep, layout).start());
  }

  /** The API's security and edge, as {@code serve} would start it. */
  ApiConfig api() {
    return http.api(auth);
  }
}
