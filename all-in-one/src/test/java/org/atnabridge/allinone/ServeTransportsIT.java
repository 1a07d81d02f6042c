package org.atnabridge.allinone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.search.security.LocalIssuer;
import org.atnabridge.testing.TestPki;
import org.hl7.fhir.r5.model.Bundle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code atna-bridge serve} with TLS certificates configured, as an operator runs it: UDP and TCP
 * open on {@code --syslog-port}, mutual TLS on {@code --syslog-tls-port}, each announced in the
 * log; real clients ({@code logger --udp}, {@code openssl s_client} with and without a client
 * certificate) deliver ATNA messages that FHIR search then finds.
 */
class ServeTransportsIT {

  @TempDir Path dir;
  private ServeProcess serve;

  @AfterEach
  void kill() throws InterruptedException {
    if (serve != null) {
      serve.close();
    }
  }

  private static String token;

  @Test
  void serveWithCertificates_opensUdpTcpAndMutualTls_andEachDelivers() throws Exception {
    TestPki pki = TestPki.create(dir.resolve("pki"));
    int http = ServeProcess.freePort();
    int syslog = ServeProcess.freePort();
    int tls = ServeProcess.freePort();
    serve =
        ServeProcess.serve(
                dir,
                http,
                syslog,
                tls,
                "--tls-cert",
                pki.serverCert().toString(),
                "--tls-key",
                pki.serverKey().toString(),
                "--tls-trust",
                pki.ca().toString())
            .awaitReady(Duration.ofSeconds(90));
    token =
        LocalIssuer.open(dir.resolve("data").resolve("keys"))
            .mint(
                "transports-test", "system/AuditEvent.rs", null, Set.of(), Duration.ofMinutes(10));
    assertThat(serve.log())
        .contains("ready: syslog TCP listener on 127.0.0.1:" + syslog)
        .contains("ready: syslog UDP listener on 127.0.0.1:" + syslog)
        .contains("ready: syslog TLS listener on 127.0.0.1:" + tls);

    // UDP, RFC 5426: one datagram, one message
    run(
        null,
        "logger",
        "--udp",
        "--rfc5424",
        "--size",
        "65536",
        "-n",
        "127.0.0.1",
        "-P",
        String.valueOf(syslog),
        "--msgid",
        "IHE+RFC-3881",
        "-t",
        "atna-udp",
        audit("PAT-UDP"));
    awaitPatient(http, "PAT-UDP");

    // TLS, RFC 5425: octet-counted frame through openssl with a client certificate from the trusted
    // CA
    byte[] frame = frame(audit("PAT-TLS"));
    run(frame, pki.mutualTlsClient(tls));
    awaitPatient(http, "PAT-TLS");

    // no client certificate: refused in the handshake, nothing delivered
    run(
        frame(audit("PAT-NOCERT")),
        TestPki.OPENSSL,
        "s_client",
        "-connect",
        "127.0.0.1:" + tls,
        "-CAfile",
        pki.ca().toString(),
        "-quiet",
        "-no_ign_eof");
    run(
        null,
        "logger",
        "--tcp",
        "--octet-count",
        "--rfc5424",
        "--size",
        "65536",
        "-n",
        "127.0.0.1",
        "-P",
        String.valueOf(syslog),
        "--msgid",
        "IHE+RFC-3881",
        "-t",
        "atna-tcp",
        audit("PAT-TCP"));
    awaitPatient(http, "PAT-TCP"); // what was sent after the refused one has been indexed
    assertThat(search(http, "PAT-NOCERT").getEntry()).isEmpty();

    // the same traffic in the meters, Prometheus text format on the HTTP port
    HttpResponse<String> metrics =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
    assertThat(counter(metrics.body(), "atna_ingest_accepted_total", "transport=\"udp\""))
        .isGreaterThanOrEqualTo(1);
    assertThat(counter(metrics.body(), "atna_ingest_accepted_total", "transport=\"tls\""))
        .isGreaterThanOrEqualTo(1);
    assertThat(counter(metrics.body(), "atna_ingest_tls_handshake_failures_total", ""))
        .isGreaterThanOrEqualTo(1);

    // the streams stage: the three delivered messages converted and chained, one that is not XML
    // dead-lettered with its reason, and Kafka Streams' own metrics tagged with the application
    run(
        null,
        "logger",
        "--udp",
        "--rfc5424",
        "-n",
        "127.0.0.1",
        "-P",
        String.valueOf(syslog),
        "--msgid",
        "IHE+RFC-3881",
        "-t",
        "atna-udp",
        "this is not an audit message");
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              String body =
                  HttpClient.newHttpClient()
                      .send(
                          HttpRequest.newBuilder(
                                  URI.create("http://127.0.0.1:" + http + "/metrics"))
                              .build(),
                          HttpResponse.BodyHandlers.ofString())
                      .body();
              assertThat(counter(body, "atna_streams_converted_total", ""))
                  .isGreaterThanOrEqualTo(3);
              assertThat(counter(body, "atna_streams_chained_total", "")).isGreaterThanOrEqualTo(3);
              assertThat(counter(body, "atna_streams_dead_letters_total", "reason=\"NOT_XML\""))
                  .isEqualTo(1);
              assertThat(
                      counter(
                          body,
                          "kafka_stream_thread_process_total",
                          "application=\"audit-enrich\""))
                  .isGreaterThanOrEqualTo(3);
            });

    assertThat(serve.terminate(Duration.ofSeconds(60)))
        .as("serve did not stop on SIGTERM")
        .isTrue();
  }

  /** Sum of a Prometheus counter's samples whose labels contain {@code label}. */
  static double counter(String exposition, String name, String label) {
    return exposition
        .lines()
        .filter(l -> (l.startsWith(name + "{") || l.startsWith(name + " ")) && l.contains(label))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  static String audit(String patient) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><AuditMessage><EventIdentification EventActionCode=\"R\" "
        + "EventDateTime=\"2026-11-27T10:00:00Z\" EventOutcomeIndicator=\"0\"><EventID csd-code=\"110110\" "
        + "codeSystemName=\"DCM\" originalText=\"Patient Record\"/></EventIdentification><ActiveParticipant "
        + "UserID=\"dr.tls\" UserIsRequestor=\"true\"/><AuditSourceIdentification AuditSourceID=\"node-a\"/>"
        + "<ParticipantObjectIdentification ParticipantObjectID=\""
        + patient
        + "^^^&amp;1.2.3.4&amp;ISO\" "
        + "ParticipantObjectTypeCode=\"1\" ParticipantObjectTypeCodeRole=\"1\"/></AuditMessage>";
  }

  static byte[] frame(String xml) {
    byte[] msg =
        ("<85>1 2026-11-27T10:00:00Z node-a atna - IHE+RFC-3881 - " + xml)
            .getBytes(StandardCharsets.UTF_8);
    return (msg.length + " " + new String(msg, StandardCharsets.UTF_8))
        .getBytes(StandardCharsets.UTF_8);
  }

  static void run(byte[] stdin, String... command) throws Exception {
    Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
    if (stdin != null) {
      p.getOutputStream().write(stdin);
    }
    p.getOutputStream().close();
    p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
  }

  private static void awaitPatient(int http, String patient) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(() -> assertThat(search(http, patient).getEntry()).hasSize(1));
  }

  private static Bundle search(int http, String patient) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:"
                                + http
                                + "/fhir/AuditEvent?patient:identifier=urn:oid:1.2.3.4%7C"
                                + patient))
                    .header("Authorization", "Bearer " + token)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return Fhir.context().newJsonParser().parseResource(Bundle.class, r.body());
  }
}
