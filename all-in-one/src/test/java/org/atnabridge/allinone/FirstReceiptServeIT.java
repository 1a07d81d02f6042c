package org.atnabridge.allinone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.schemas.chain.ChainLink;
import org.atnabridge.schemas.vocab.Extensions;
import org.atnabridge.search.security.LocalIssuer;
import org.atnabridge.testing.TestPki;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.Parameters;
import org.hl7.fhir.r5.model.Reference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Event ids replayed against {@code atna-bridge serve} the way a replaying sender does it: a frame
 * first received over mutual TLS replayed over UDP, messages retried by {@code logger} with fresh
 * syslog headers, and the same JSON POSTed 3 times. Each stays one event with its first receipt,
 * {@code $verify} stays intact, and the later receipts are counted per transport on {@code
 * /metrics}.
 */
class FirstReceiptServeIT {

  @TempDir Path dir;
  private ServeProcess serve;
  private String token;
  private int http;

  @AfterEach
  void kill() throws InterruptedException {
    if (serve != null) {
      serve.close();
    }
  }

  @Test
  void laterReceipts_replayRetryAndRepost_leaveTheFirstReceiptStoredAndTheChainIntact()
      throws Exception {
    TestPki pki = TestPki.create(dir.resolve("pki"));
    http = ServeProcess.freePort();
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
                "receipts-test",
                "system/AuditEvent.rs system/AuditEvent.c",
                null,
                Set.of(),
                Duration.ofMinutes(10));

    // first receipt over mutual TLS
    byte[] counted = ServeTransportsIT.frame(ServeTransportsIT.audit("PAT-FIRST"));
    ServeTransportsIT.run(counted, pki.mutualTlsClient(tls));
    AuditEvent first = awaitOne("urn:oid:1.2.3.4|PAT-FIRST");
    assertThat(receipt(first, Extensions.RECEIPT_TRANSPORT)).isEqualTo("tls");

    // the same frame replayed over UDP from the same host, twice (RFC 5426: the datagram is the
    // message)
    byte[] message =
        Arrays.copyOfRange(
            counted, new String(counted, StandardCharsets.UTF_8).indexOf(' ') + 1, counted.length);
    try (DatagramSocket udp = new DatagramSocket()) {
      for (int i = 0; i < 2; i++) {
        udp.send(
            new DatagramPacket(message, message.length, InetAddress.getLoopbackAddress(), syslog));
      }
    }
    // the same message retried with a fresh syslog header: by logger over TCP, and 3 times over UDP
    ServeTransportsIT.run(
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
        "atna-retry",
        ServeTransportsIT.audit("PAT-FIRST"));
    for (int i = 1; i <= 3; i++) {
      ServeTransportsIT.run(
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
          "atna-" + i,
          ServeTransportsIT.audit("PAT-RETRY"));
    }
    // the same JSON POSTed 3 times: 201 and the same id each time
    String json = Fhir.toJson(posted());
    Set<String> locations = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + http + "/fhir/AuditEvent"))
                      .POST(HttpRequest.BodyPublishers.ofString(json))
                      .header("Content-Type", "application/fhir+json")
                      .header("Authorization", "Bearer " + token)
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
      locations.add(
          r.headers().firstValue("Location").orElseThrow().replaceAll("/_history/.*", ""));
    }
    assertThat(locations).hasSize(1);

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              String metrics = get("/metrics");
              assertThat(
                      ServeTransportsIT.counter(
                          metrics, "atna_streams_duplicates_total", "transport=\"udp\""))
                  .isEqualTo(4);
              assertThat(
                      ServeTransportsIT.counter(
                          metrics, "atna_streams_duplicates_total", "transport=\"tcp\""))
                  .isEqualTo(1);
              assertThat(
                      ServeTransportsIT.counter(
                          metrics, "atna_streams_duplicates_total", "transport=\"feed\""))
                  .isEqualTo(2);
            });
    awaitOne("urn:oid:1.2.3.4|PAT-RETRY");
    awaitOne("urn:oid:1.2.3.4|PAT-POSTED");

    AuditEvent now = awaitOne("urn:oid:1.2.3.4|PAT-FIRST");
    assertThat(now.getIdPart()).isEqualTo(first.getIdPart());
    for (String part :
        List.of(
            Extensions.RECEIPT_TRANSPORT,
            Extensions.RECEIPT_PEER,
            Extensions.RECEIPT_RECEIVED_AT)) {
      assertThat(receipt(now, part)).as(part).isEqualTo(receipt(first, part));
    }
    assertThat(ChainLink.from(now)).isEqualTo(ChainLink.from(first));
    assertThat(ChainLink.from(now).replacesSeq()).isNull();
    Parameters verify =
        Fhir.jsonParser().parseResource(Parameters.class, get("/fhir/AuditEvent/$verify"));
    assertThat(verify.getParameterBool("intact")).as(get("/fhir/AuditEvent/$verify")).isTrue();
  }

  private static AuditEvent posted() {
    AuditEvent e = RetentionIT.event("feeder-user", Instant.parse("2026-11-27T10:00:00Z"));
    e.setPatient(
        new Reference()
            .setIdentifier(new Identifier().setSystem("urn:oid:1.2.3.4").setValue("PAT-POSTED")));
    e.getMeta().setLastUpdated(Date.from(Instant.parse("2026-11-27T10:00:00Z")));
    return e;
  }

  private AuditEvent awaitOne(String patient) {
    Bundle[] last = new Bundle[1];
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              last[0] =
                  Fhir.jsonParser()
                      .parseResource(
                          Bundle.class,
                          get(
                              "/fhir/AuditEvent?patient:identifier="
                                  + patient.replace("|", "%7C")));
              assertThat(last[0].getEntry()).hasSize(1);
            });
    return (AuditEvent) last[0].getEntryFirstRep().getResource();
  }

  private String get(String path) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + path))
                    .header("Authorization", "Bearer " + token)
                    .header("Accept", "application/fhir+json")
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    return r.body();
  }

  private static String receipt(AuditEvent e, String part) {
    return e.getExtensionByUrl(Extensions.RAW_RECEIPT)
        .getExtensionByUrl(part)
        .getValue()
        .primitiveValue();
  }
}
