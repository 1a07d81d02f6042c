package org.atnabridge.search.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.testing.KafkaBrokerExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * What a refused client sees and what the operator reads in the log. The answer stays generic (RFC
 * 6750 §3: {@code invalid_token}) or names the scope needed ({@code insufficient_scope} with {@code
 * scope=}); the log has the reason in one INFO line per refusal, no stack trace: refused requests
 * are expected traffic, not server errors.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(KafkaBrokerExtension.class)
class DeniedRequestLogIT {

  private final TestIssuer issuer = new TestIssuer();
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private SecuredApi api;

  @BeforeAll
  void start(EmbeddedKafkaBroker kafka, @TempDir Path dir) {
    api = SecuredApi.start(kafka, dir, issuer.settings(), ApiSecurityIT.events(), s -> s);
    log.start();
    root.addAppender(log);
  }

  @AfterAll
  void stop() {
    root.detachAppender(log);
    api.close();
  }

  @BeforeEach
  void clear() {
    synchronized (log) { // the appender appends under its own lock
      log.list.clear();
    }
  }

  private List<ILoggingEvent> snapshot() {
    synchronized (log) {
      return new java.util.ArrayList<>(log.list);
    }
  }

  @Test
  void tokenSignedByAnotherKey_answersInvalidToken_andLogsTheReasonOnceAtInfo() {
    HttpResponse<String> r =
        api.get(
            "/AuditEvent",
            issuer.rs256ForgedKey(TestIssuer.claims("mallory", ApiSecurityIT.READ_ALL)));

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().allValues("WWW-Authenticate"))
        .containsExactly("Bearer realm=\"atna-bridge\", error=\"invalid_token\"");
    assertThat(r.body())
        .contains("authentication required")
        .doesNotContainIgnoringCase("signature");
    ILoggingEvent line = onlyRefusalLine();
    assertThat(line.getFormattedMessage())
        .startsWith("401 for GET /fhir/AuditEvent from 127.0.0.1: invalid token: ")
        .containsIgnoringCase("signature");
  }

  @Test
  void missingScope_namesTheScopeNeeded_andLogsOneInfoLine() {
    HttpResponse<String> r =
        api.get("/AuditEvent", issuer.es256(TestIssuer.claims("clerk", "system/AuditEvent.c")));

    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.headers().allValues("WWW-Authenticate"))
        .containsExactly(
            "Bearer realm=\"atna-bridge\", "
                + "error=\"insufficient_scope\", scope=\"system/AuditEvent.s user/AuditEvent.s patient/AuditEvent.s\"");
    ILoggingEvent line = onlyRefusalLine();
    assertThat(line.getFormattedMessage())
        .isEqualTo(
            "403 for GET /fhir/AuditEvent from 127.0.0.1 (sub clerk): "
                + "needs one of system/AuditEvent.s user/AuditEvent.s patient/AuditEvent.s, has system/AuditEvent.c");
  }

  @Test
  void patientScopeOnVerify_namesTheSystemOrUserScope() {
    HttpResponse<String> r =
        api.get(
            "/AuditEvent/$verify",
            issuer.es256(
                TestIssuer.claims(
                    "portal", "patient/AuditEvent.rs", b -> b.claim("patient", "p1"))));

    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.headers().allValues("WWW-Authenticate"))
        .containsExactly(
            "Bearer realm=\"atna-bridge\", "
                + "error=\"insufficient_scope\", scope=\"system/AuditEvent.rs user/AuditEvent.rs\"");
    assertThat(onlyRefusalLine().getFormattedMessage())
        .contains("needs one of system/AuditEvent.rs user/AuditEvent.rs");
  }

  /**
   * The refusal's one INFO line; nothing at ERROR and no stack trace from any logger. (HAPI's own
   * one-line WARN per 4xx answer is switched off in the product's logging configuration; the
   * packaged jar's test reads that output.)
   */
  private ILoggingEvent onlyRefusalLine() {
    // the line is written once the request is done, which may be just after the client has its
    // answer
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                snapshot().stream()
                    .anyMatch(e -> e.getLoggerName().equals(AuthenticationFilter.class.getName())));
    List<ILoggingEvent> events = snapshot();
    List<String> seen =
        events.stream()
            .map(
                e ->
                    e.getLevel()
                        + " "
                        + e.getLoggerName()
                        + " "
                        + e.getFormattedMessage()
                        + (e.getThrowableProxy() == null
                            ? ""
                            : " + " + e.getThrowableProxy().getClassName()))
            .toList();
    assertThat(events)
        .as("log: %s", seen)
        .allSatisfy(
            e -> {
              assertThat(e.getLevel()).isNotEqualTo(Level.ERROR);
              assertThat(e.getThrowableProxy()).as("stack trace").isNull();
            });
    List<ILoggingEvent> lines =
        events.stream()
            .filter(
                e ->
                    e.getLoggerName().startsWith("org.atnabridge")
                        && e.getLevel().isGreaterOrEqual(Level.INFO))
            .toList();
    assertThat(lines).as("log: %s", seen).hasSize(1);
    ILoggingEvent line = lines.get(0);
    assertThat(line.getLevel()).isEqualTo(Level.INFO);
    assertThat(line.getFormattedMessage()).doesNotContain("\n");
    return line;
  }
}
