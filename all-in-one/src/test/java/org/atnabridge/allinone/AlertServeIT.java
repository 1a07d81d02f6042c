package org.atnabridge.allinone;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.atnabridge.allinone.PortInUseIT.Result;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.schemas.alert.Alert;
import org.atnabridge.schemas.alert.AlertJson;
import org.atnabridge.search.security.LocalIssuer;
import org.atnabridge.testing.TestVectors;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Bundle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alert engine end to end, as an operator runs it: the packaged jar's {@code serve
 * --alert-rules rules.yaml}, real ATNA messages over TCP syslog, a webhook receiver (the JDK's HTTP
 * server) that verifies each signature with its own implementation of the Standard Webhooks scheme,
 * the Security Alert AuditEvents found through the FHIR API, a rule added to the file while serve
 * runs, and {@code atna-bridge rules test} over the same inputs printing the same alerts.
 */
class AlertServeIT {

  private static final String ITI_47 = "dicom-audit-xml/ahdis-iti-47-atna.xml";
  private static final String APP_START = "dicom-audit-xml/ipf-start.xml";
  private static final String LOGIN = "rfc3881-legacy-xml/openatna-application-login.xml";

  @TempDir Path dir;
  private ServeProcess serve;
  private HttpServer receiver;

  /** One POST the receiver got; the body as received, the bytes the signature is over. */
  record Delivery(String id, String timestamp, String signature, ByteBuffer received) {
    byte[] body() {
      byte[] b = new byte[received.remaining()];
      received.duplicate().get(b);
      return b;
    }

    Alert alert() {
      return AlertJson.read(body());
    }
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (serve != null) {
      serve.close();
    }
    if (receiver != null) {
      receiver.stop(0);
    }
  }

  @Test
  void serveWithRules_webhookSignedOncePerAlert_alertEventSearchable_reloadWithoutRestart()
      throws Exception {
    byte[] key = new byte[32];
    ThreadLocalRandom.current().nextBytes(key);
    String secret = "whsec_" + Base64.getEncoder().encodeToString(key);
    List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext(
        "/hooks",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          deliveries.add(
              new Delivery(
                  String.valueOf(exchange.getRequestHeaders().getFirst("webhook-id")),
                  String.valueOf(exchange.getRequestHeaders().getFirst("webhook-timestamp")),
                  String.valueOf(exchange.getRequestHeaders().getFirst("webhook-signature")),
                  ByteBuffer.wrap(body).asReadOnlyBuffer()));
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    receiver.start();
    String channels =
        """
        channels:
          - id: receiver
            type: webhook
            url: http://127.0.0.1:%d/hooks
            secrets: ["%s"]
        rules:
          - id: pdq-query
            title: Patient demographics query
            kind: match
            where: "code=urn:ihe:event-type-code|ITI-47"
            severity: low
            notify: [receiver]
          - id: login-failures
            title: Repeated login failures
            kind: threshold
            where: "code=110122&outcome:not=0"
            group-by: agent.identifier
            count: 5
            window: 5m
            severity: medium
            notify: [receiver]
        """
            .formatted(receiver.getAddress().getPort(), secret);
    Path rules = Files.writeString(dir.resolve("rules.yaml"), channels);
    int http = ServeProcess.freePort();
    int syslog = ServeProcess.freePort();
    serve =
        ServeProcess.serve(dir, http, syslog, 0, "--alert-rules", rules.toString())
            .awaitReady(Duration.ofMinutes(2));
    String token =
        LocalIssuer.open(dir.resolve("data").resolve("keys"))
            .mint("alert-e2e", "system/AuditEvent.rs", null, Set.of(), Duration.ofMinutes(30));
    Api api = new Api(http, token);

    // a match rule on a real vector: one alert, one POST
    List<Path> sent = new ArrayList<>();
    sent.add(send(syslog, ITI_47, TestVectors.bytes(ITI_47)));
    Delivery pdq = awaitDeliveries(deliveries, "pdq-query", 1).get(0);
    assertSigned(pdq, key);
    Alert pdqAlert = pdq.alert();
    assertThat(pdqAlert.eventCount()).isEqualTo(1);

    // 4 login failures of one user: no alert; the 5th: exactly one
    String user = "misys-" + UUID.randomUUID().toString().substring(0, 8);
    Instant t0 = Instant.now();
    for (int i = 0; i < 4; i++) {
      sent.add(send(syslog, "login-" + i + ".xml", loginFailure(user, t0.plusMillis(i))));
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> api.counter("atna_alerts_observations_total", "kind=\"threshold\"") >= 4);
    // the observations are counted in stage 1; give stage 2 (behind a repartition) time to act
    Thread.sleep(3_000);
    assertThat(rule(deliveries, "login-failures")).isEmpty();
    sent.add(send(syslog, "login-4.xml", loginFailure(user, t0.plusMillis(4))));
    Delivery logins = awaitDeliveries(deliveries, "login-failures", 1).get(0);
    assertSigned(logins, key);
    Alert loginAlert = logins.alert();
    assertThat(loginAlert.eventCount()).isEqualTo(5);
    assertThat(loginAlert.events()).hasSize(5);
    assertThat(loginAlert.group()).contains(user);

    // each alert is a Security Alert AuditEvent (DCM 110113) with the rule id as code
    for (Alert a : List.of(pdqAlert, loginAlert)) {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(300))
          .untilAsserted(
              () ->
                  assertThat(api.search("category=110113&code=" + a.rule().id()))
                      .extracting(e -> "AuditEvent/" + e.getIdPart())
                      .containsExactly(a.auditEventId()));
    }

    // a rule added while serve runs fires for a later message, without a restart
    Path next =
        Files.writeString(
            dir.resolve("rules.next"),
            channels
                + """
          - id: app-start
            title: Application started
            kind: match
            where: "category=110100&code=110120"
            severity: informational
            notify: [receiver]
        """);
    Files.move(next, rules, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> api.counter("atna_alerts_rules_reload_total", "result=\"ok\"") >= 1);
    sent.add(send(syslog, APP_START, TestVectors.bytes(APP_START)));
    Delivery start = awaitDeliveries(deliveries, "app-start", 1).get(0);
    assertSigned(start, key);
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> assertThat(api.search("category=110113&code=app-start")).hasSize(1));

    // at least once, and here exactly once: one POST per alert, nothing more
    Thread.sleep(2_000);
    assertThat(deliveries)
        .extracting(d -> d.alert().rule().id())
        .containsExactlyInAnyOrder("pdq-query", "login-failures", "app-start");
    List<Alert> streamed = deliveries.stream().map(Delivery::alert).toList();

    rulesTest_overTheSameInputs_printsTheSameAlerts(rules, sent, streamed, api);

    assertThat(serve.log()).doesNotContain(Base64.getEncoder().encodeToString(key));
    assertThat(serve.terminate(Duration.ofSeconds(60))).as("serve did not stop").isTrue();
  }

  /**
   * {@code rules test} over the ATNA XML files sent: the same alerts. Event ids include the
   * sender's address (which a file does not have), so from the XML the alerts agree in rule, group
   * and count; from the same events as the FHIR API serves them they agree in id too. Not in {@code
   * late}: offline, the clock follows the files' event times, so a message from 2022 is on time
   * there and late when it arrives at a running serve today.
   */
  private void rulesTest_overTheSameInputs_printsTheSameAlerts(
      Path rules, List<Path> sent, List<Alert> streamed, Api api) throws Exception {
    List<String> args = new ArrayList<>(List.of("rules", "test", rules.toString()));
    sent.forEach(p -> args.add(p.toString()));
    Result fromXml = PortInUseIT.run(args.toArray(String[]::new));
    assertThat(fromXml.exit()).as(fromXml.all()).isZero();
    assertThat(alerts(fromXml.stdout()))
        .extracting(a -> a.rule().id(), Alert::group, Alert::eventCount)
        .containsExactlyInAnyOrderElementsOf(
            streamed.stream()
                .map(
                    a ->
                        org.assertj.core.groups.Tuple.tuple(
                            a.rule().id(), a.group(), a.eventCount()))
                .toList());

    List<String> json = new ArrayList<>(List.of("rules", "test", rules.toString()));
    List<AuditEvent> served = new ArrayList<>();
    for (Alert a : streamed) {
      for (String ref : a.events()) {
        served.add(api.read(ref));
      }
    }
    served.sort(Comparator.comparing(AuditEvent::getRecorded));
    for (AuditEvent e : served) {
      Path file = dir.resolve("served-" + e.getIdPart() + ".json");
      Files.writeString(file, Fhir.context().newJsonParser().encodeResourceToString(e));
      json.add(file.toString());
    }
    Result fromApi = PortInUseIT.run(json.toArray(String[]::new));
    assertThat(fromApi.exit()).as(fromApi.all()).isZero();
    assertThat(alerts(fromApi.stdout()))
        .extracting(Alert::id, Alert::events, Alert::auditEventId)
        .containsExactlyInAnyOrderElementsOf(
            streamed.stream()
                .map(a -> org.assertj.core.groups.Tuple.tuple(a.id(), a.events(), a.auditEventId()))
                .toList());
  }

  private static List<Alert> alerts(String stdout) {
    return stdout
        .lines()
        .filter(l -> !l.isBlank())
        .map(l -> AlertJson.read(l.getBytes(UTF_8)))
        .toList();
  }

  /** The openatna login vector as a failure (outcome 8) of {@code user} at {@code at}. */
  private static byte[] loginFailure(String user, Instant at) {
    String xml = new String(TestVectors.bytes(LOGIN), UTF_8);
    assertThat(xml).contains("UserID=\"misys\"").contains("EventOutcomeIndicator=\"8\"");
    return xml.replace("UserID=\"misys\"", "UserID=\"" + user + "\"")
        .replace("2009-10-22T12:28:57.055+01:00", at.toString())
        .getBytes(UTF_8);
  }

  /** Sends {@code xml} as one octet-counted RFC 5424 frame and keeps it as a file. */
  private Path send(int syslog, String name, byte[] xml) throws Exception {
    AtnaTraffic.sendOctetCounted(syslog, AtnaTraffic.syslog5424(xml));
    return Files.write(dir.resolve(Path.of(name).getFileName()), xml);
  }

  private static List<Delivery> rule(List<Delivery> deliveries, String ruleId) {
    return deliveries.stream().filter(d -> d.alert().rule().id().equals(ruleId)).toList();
  }

  private static List<Delivery> awaitDeliveries(
      List<Delivery> deliveries, String ruleId, int count) {
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> rule(deliveries, ruleId).size() >= count);
    List<Delivery> got = rule(deliveries, ruleId);
    assertThat(got).hasSize(count);
    return got;
  }

  /**
   * Standard Webhooks, verified here independently of the product: {@code webhook-id} is the
   * alert's id, and one of the space-separated {@code v1,} signatures is the base64 HMAC-SHA256,
   * keyed with the secret's bytes, of {@code id.timestamp.body}.
   */
  private static void assertSigned(Delivery d, byte[] key) throws Exception {
    assertThat(d.id()).isEqualTo(d.alert().id());
    long timestamp = Long.parseLong(d.timestamp());
    assertThat(Math.abs(Instant.now().getEpochSecond() - timestamp)).isLessThan(300);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    mac.update((d.id() + "." + d.timestamp() + ".").getBytes(UTF_8));
    byte[] expected = mac.doFinal(d.body());
    assertThat(d.signature().split(" "))
        .anySatisfy(
            s -> {
              assertThat(s).startsWith("v1,");
              assertThat(
                      MessageDigest.isEqual(Base64.getDecoder().decode(s.substring(3)), expected))
                  .isTrue();
            });
  }

  /** The running serve's FHIR API and metrics. */
  private record Api(int port, String token) {

    List<AuditEvent> search(String query) throws Exception {
      HttpResponse<String> r = get("/fhir/AuditEvent?" + query.replace("|", "%7C"));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      Bundle b = Fhir.context().newJsonParser().parseResource(Bundle.class, r.body());
      return b.getEntry().stream().map(e -> (AuditEvent) e.getResource()).toList();
    }

    AuditEvent read(String reference) throws Exception {
      HttpResponse<String> r = get("/fhir/" + reference);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      return Fhir.context().newJsonParser().parseResource(AuditEvent.class, r.body());
    }

    double counter(String name, String label) throws Exception {
      return ServeTransportsIT.counter(get("/metrics").body(), name, label);
    }

    private HttpResponse<String> get(String path) throws Exception {
      return HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                  .header("Authorization", "Bearer " + token)
                  .header("Accept", "application/fhir+json")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
    }
  }
}
