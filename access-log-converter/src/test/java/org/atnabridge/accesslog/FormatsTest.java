package org.atnabridge.accesslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.hl7.fhir.r5.model.AuditEvent;
import org.junit.jupiter.api.Test;

/** Each named format reads its fields. */
class FormatsTest {

  @Test
  void common() {
    AuditEvent e =
        Lines.events(
                "10.1.2.3 - alice [10/Oct/2026:13:55:36 -0700] \"GET /Patient/9 HTTP/1.0\" 200 2326",
                Lines.source(AccessLogFormat.COMMON))
            .get(0);
    assertThat(e.getRecorded().toInstant()).isEqualTo(Instant.parse("2026-10-10T20:55:36Z"));
    assertThat(e.getAgent().get(2).getWho().getIdentifier().getValue()).isEqualTo("alice");
    assertThat(e.getPatient().getReference()).isEqualTo("Patient/9");
  }

  @Test
  void combined_withEscapedQuote() {
    AuditEvent e =
        Lines.event(
            "2001:db8::7 - - [10/Oct/2026:13:55:36 +0000] \"GET /Observation?code=a\\x22b HTTP/2.0\" 200 5 \"-\" \"agent \\\"x\\\"\"");
    assertThat(e.getAgent().get(0).getNetworkStringType().getValue()).isEqualTo("[2001:db8::7]");
    assertThat(e.getCode().getCodingFirstRep().getCode()).isEqualTo("search-type");
  }

  @Test
  void envoyDefault() {
    String line =
        "[2026-12-01T08:00:01.123Z] \"GET /Observation/7 HTTP/1.1\" 404 NR 0 0 1 - "
            + "\"203.0.113.9\" \"curl/8\" \"5f0c-11aa\" \"fhir.example\" \"-\"";
    AuditEvent e = Lines.events(line, Lines.source(AccessLogFormat.ENVOY)).get(0);
    assertThat(e.getRecorded().toInstant()).isEqualTo(Instant.parse("2026-12-01T08:00:01.123Z"));
    assertThat(e.getOutcome().getCode().getCode()).isEqualTo("4");
    assertThat(e.getAgent().get(0).getNetworkStringType().getValue()).isEqualTo("[203.0.113.9]");
    assertThat(e.getAgent().get(1).getNetworkStringType().getValue()).isEqualTo("fhir.example");
    assertThat(e.getEntity())
        .anySatisfy(
            en -> assertThat(en.getWhat().getIdentifier().getValue()).isEqualTo("5f0c-11aa"));
  }

  @Test
  void envoyJson() {
    String line =
        "{\"start_time\":\"2026-12-01T08:00:01.123Z\",\"method\":\"DELETE\",\"path\":\"/Observation/7\","
            + "\"protocol\":\"HTTP/1.1\",\"response_code\":204,\"response_flags\":\"-\","
            + "\"downstream_remote_address\":\"198.51.100.4:51234\",\"request_id\":\"r-1\","
            + "\"authority\":\"fhir.example\",\"upstream_host\":\"10.0.0.5:8080\"}";
    AuditEvent e = Lines.events(line, Lines.source(AccessLogFormat.ENVOY_JSON)).get(0);
    assertThat(e.getCode().getCodingFirstRep().getCode()).isEqualTo("delete");
    assertThat(e.getAgent().get(0).getWho().getIdentifier().getValue()).isEqualTo("198.51.100.4");
  }

  @Test
  void nginxJson_requestLine_andMappedUserField() {
    String line =
        "{\"time_local\":\"01/Dec/2026:09:59:58 +0100\",\"remote_addr\":\"198.51.100.7\","
            + "\"request\":\"GET /Patient/3 HTTP/1.1\",\"status\":\"200\",\"jwt_sub\":\"u-42\","
            + "\"upstream_status\":\"502\",\"nested\":{\"a\":[1,2]}}";
    AccessLogSource mapped =
        new AccessLogSource(
            "api",
            AccessLogFormat.JSON,
            null,
            java.util.List.of("/"),
            java.util.List.of(),
            java.util.Set.of(),
            false,
            AccessLogSource.DEFAULT_SCRUB,
            new JsonFieldMapping("jwt_sub", null, null, null, null));
    AuditEvent e = Lines.events(line, mapped).get(0);
    assertThat(e.getAgent().get(2).getWho().getIdentifier().getValue()).isEqualTo("u-42");
    assertThat(e.getOutcome().getDetail().get(1).getText()).isEqualTo("upstream HTTP 502");
    assertThat(e.getPatient().getReference()).isEqualTo("Patient/3");
  }

  @Test
  void unknownFormat_namesTheAcceptedOnes() {
    assertThatThrownBy(() -> AccessLogFormat.of("apache-custom"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("combined, common, json, envoy, envoy-json");
    assertThat(AccessLogFormat.of(" Envoy-JSON ")).isEqualTo(AccessLogFormat.ENVOY_JSON);
  }
}
