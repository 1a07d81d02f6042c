package org.atnabridge.allinone;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.atnabridge.allinone.health.HealthCheck;
import org.atnabridge.search.FhirServerFactory;
import org.atnabridge.search.IntakeServer;
import org.atnabridge.search.feed.KafkaAuditEventFeed;
import org.atnabridge.search.intake.AccessLogIntakeServlet;
import org.atnabridge.search.intake.KafkaAccessLogWriter;
import org.atnabridge.search.security.ApiSecurity;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code atna-bridge ingest --ingest-http-port}: {@code POST /ingest/access-logs} on its own
 * listener, with the API's servlet and token checks; refusals are recorded as Security Alerts on
 * {@code audit.posted}, as the API records them.
 */
final class HttpIntakeService implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(HttpIntakeService.class);

  private final Parts parts = new Parts();
  private @Nullable IntakeServer server;

  private HttpIntakeService() {}

  static HttpIntakeService start(
      PipelineConfig config, String host, int port, String bootstrap, MeterRegistry registry) {
    HttpIntakeService service = new HttpIntakeService();
    try {
      service.open(config, host, port, bootstrap, registry);
      return service;
    } catch (RuntimeException e) {
      service.close();
      throw e;
    }
  }

  private void open(
      PipelineConfig config, String host, int port, String bootstrap, MeterRegistry registry) {
    Map<String, Object> producer = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    KafkaAuditEventFeed alerts = parts.add(new KafkaAuditEventFeed(producer));
    KafkaAccessLogWriter writer = parts.add(new KafkaAccessLogWriter(producer));
    ApiConfig api = config.api();
    ApiSecurity security =
        new ApiSecurity(ApiService.authSettings(config), alerts, api.edge().scrubber());
    IntakeServer intake =
        parts.add(
            new IntakeServer(
                host,
                port,
                ApiService.accessLogIntake(config, writer, registry),
                security.authentication(FhirServerFactory.REPOSITORY_NAME, Clock.systemUTC()),
                api.edge().listener(),
                api.httpsCert(),
                api.httpsKey()));
    intake.start();
    server = intake;
    LOG.info(
        "ready: access log intake on {}:{}{} ({} tokens with {})",
        host,
        intake.port(),
        AccessLogIntakeServlet.PATH,
        api.localIssuer() ? "local issuer" : api.oidcIssuer(),
        AccessLogIntakeServlet.SCOPE);
    if (api.allowUnauthenticated()) {
      LOG.warn(
          "--dev-allow-unauthenticated: the access log intake takes lines without a token; "
              + "local development only");
    }
  }

  /** {@code http-intake}: the listener accepts. */
  List<HealthCheck> checks() {
    return List.of(
        new HealthCheck(
            "http-intake",
            () -> {
              IntakeServer s = server;
              return s != null && s.check() ? null : "the access log intake is not accepting";
            }));
  }

  int port() {
    return Pipeline.require(server, "access log intake").port();
  }

  @Override
  public void close() {
    parts.close();
    server = null;
  }
}
