package org.atnabridge.accesslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.atnabridge.accesslog.Lines.combined;
import static org.atnabridge.accesslog.Lines.event;

import java.util.List;
import org.atnabridge.schemas.vocab.CodeSystems;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.AuditEvent.AuditEventAgentComponent;
import org.hl7.fhir.r5.model.Coding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** BALP agent roles per interaction, user and OAuth client agents, network, outcome. */
class AgentsAndOutcomeTest {

  @ParameterizedTest(name = "{0} {1}: client {2}, server {3}")
  @CsvSource({
    // IHE.BasicAudit.Read: data flows to the client, so it is the Destination
    "GET,    /Observation/1,            110152,    110153",
    "GET,    /Observation/1/_history/3, 110152,    110153",
    // Create, Update, Query: the client is the Source
    "POST,   /Observation,              110153,    110152",
    "PUT,    /Observation/1,            110153,    110152",
    "PATCH,  /Observation/1,            110153,    110152",
    "GET,    /Observation?code=x,       110153,    110152",
    "GET,    /?_type=Observation,       110153,    110152",
    "GET,    /Patient/1/Observation,    110153,    110152",
    // Delete: client Application, server custodian
    "DELETE, /Observation/1,            110150,    custodian",
  })
  void clientAndServer_haveTheBalpTypes(
      String method, String path, String clientType, String serverType) {
    AuditEvent e = event(combined(method, path, 200));
    Coding client = e.getAgent().get(0).getType().getCodingFirstRep();
    Coding server = e.getAgent().get(1).getType().getCodingFirstRep();

    assertThat(client.getCode()).isEqualTo(clientType);
    assertThat(client.getSystem()).isEqualTo(CodeSystems.DCM);
    assertThat(server.getCode()).isEqualTo(serverType);
    assertThat(server.getSystem())
        .isEqualTo(
            serverType.equals("custodian")
                ? CodeSystems.PROVENANCE_PARTICIPANT_TYPE
                : CodeSystems.DCM);
    assertThat(e.getAgent().get(0).getNetworkStringType().getValue()).isEqualTo("[198.51.100.7]");
    assertThat(e.getAgent().get(0).getWho().getIdentifier().getValue()).isEqualTo("198.51.100.7");
  }

  @ParameterizedTest(name = "{0} {1}: user {2}")
  @CsvSource({
    "GET,    /Patient/1,               IRCP",
    "GET,    /Observation?code=x,      IRCP",
    "GET,    /Patient/1/$everything,   IRCP",
    "POST,   /Patient/1/$everything,   AUT",
    "POST,   /Observation,             AUT",
    "DELETE, /Observation/1,           AUT",
  })
  void userAgentType_recipientOfReads_authorOfWrites(String method, String path, String type) {
    AuditEvent e = event(combined("198.51.100.7", "u1", method, path, 200));
    assertThat(e.getAgent().get(2).getType().getCodingFirstRep().getCode()).isEqualTo(type);
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({
    "192.0.2.1,        [192.0.2.1]",
    "2001:db8::1,      [2001:db8::1]",
    "::1,              [::1]",
    "fhir.example,     fhir.example",
    "fhir.example:8080, fhir.example:8080",
    "[2001:db8::1],    [2001:db8::1]",
  })
  void networkAddress_literalsInBrackets(String address, String network) {
    assertThat(BalpEventBuilder.network(address)).isEqualTo(network);
  }

  @ParameterizedTest(name = "HTTP {0} → {1}")
  @CsvSource({
    "200, 0", "201, 0", "204, 0", "304, 0", "302, 0", "400, 4", "401, 4", "403, 4", "404, 4",
    "410, 4", "499, 4", "500, 8", "502, 8", "503, 8"
  })
  void outcome_fromStatus(int status, String outcome) {
    AuditEvent e = event(combined("GET", "/Observation/1", status));
    assertThat(e.getOutcome().getCode().getSystem()).isEqualTo(CodeSystems.AUDIT_EVENT_OUTCOME);
    assertThat(e.getOutcome().getCode().getCode()).isEqualTo(outcome);
    assertThat(e.getOutcome().getDetailFirstRep().getText()).isEqualTo("HTTP " + status);
  }

  @ParameterizedTest(name = "HTTP {0} claims a BALP pattern: {1}")
  @CsvSource({"200, true", "304, true", "404, false", "403, false", "500, false"})
  void balpPattern_claimedOnlyOnSuccess_theProfilesFixOutcomeZero(int status, boolean claimed) {
    AuditEvent e = event(combined("GET", "/Observation/1", status));
    assertThat(
            e.getMeta().getTag().stream()
                .anyMatch(t -> CodeSystems.BALP_PATTERN.equals(t.getSystem())))
        .isEqualTo(claimed);
  }

  @Test
  void remoteUser_isTheRequestingUserAgent() {
    AuditEvent e = event(combined("198.51.100.7", "dr.house", "GET", "/Observation?code=x", 200));
    List<AuditEventAgentComponent> agents = e.getAgent();
    assertThat(agents).hasSize(3);
    AuditEventAgentComponent user = agents.get(2);
    assertThat(user.getRequestor()).isTrue();
    assertThat(user.getWho().getIdentifier().getValue()).isEqualTo("dr.house");
    assertThat(user.getType().getCodingFirstRep().getCode()).isEqualTo("IRCP");
    assertThat(agents.get(0).getRequestor()).isFalse();
    assertThat(user.hasNetwork()).isFalse();
  }

  @Test
  void noUser_clientIsTheRequestor() {
    AuditEvent e = event(combined("GET", "/Observation/1", 200));
    assertThat(e.getAgent()).hasSize(2);
    assertThat(e.getAgent().get(0).getRequestor()).isTrue();
    assertThat(e.getAgent().get(1).getRequestor()).isFalse();
  }

  @Test
  void jsonLine_oauthClientAndUser_areAgents() {
    String line =
        "{\"remote_addr\":\"203.0.113.5\",\"remote_user\":\"nurse1\",\"client_id\":\"ward-app\","
            + "\"time_iso8601\":\"2026-12-01T09:00:00+01:00\",\"request_method\":\"POST\","
            + "\"request_uri\":\"/Observation\",\"status\":201,\"request_id\":\"abc123\"}";
    AuditEvent e = Lines.events(line, Lines.source(AccessLogFormat.JSON)).get(0);
    assertThat(e.getAgent()).hasSize(4);
    assertThat(e.getAgent().get(2).getType().getCodingFirstRep().getCode()).isEqualTo("AUT");
    assertThat(e.getAgent().get(3).getType().getCodingFirstRep().getCode()).isEqualTo("110150");
    assertThat(e.getAgent().get(3).getWho().getIdentifier().getValue()).isEqualTo("ward-app");
    assertThat(e.getAgent().get(3).getRequestor()).isFalse();
    assertThat(e.getEntity())
        .filteredOn(en -> en.getRole().getCodingFirstRep().getCode().equals("XrequestId"))
        .singleElement()
        .satisfies(en -> assertThat(en.getWhat().getIdentifier().getValue()).isEqualTo("abc123"));
  }

  @Test
  void forwardedFor_isTheClient_onlyWhenTrusted() {
    String line = combined("GET", "/Observation/1", 200) + " \"203.0.113.50, 10.0.0.2\"";
    AccessLogSource trusting =
        new AccessLogSource(
            "gw",
            AccessLogFormat.COMBINED,
            null,
            List.of("/"),
            List.of(),
            java.util.Set.of(),
            true,
            AccessLogSource.DEFAULT_SCRUB,
            JsonFieldMapping.DEFAULT);
    assertThat(
            Lines.events(line, trusting).get(0).getAgent().get(0).getNetworkStringType().getValue())
        .isEqualTo("[203.0.113.50]");
    assertThat(event(line).getAgent().get(0).getNetworkStringType().getValue())
        .isEqualTo("[198.51.100.7]");
  }

  @Test
  void observer_sourceFile_elseSyslogHostname_elsePeer() {
    String line = combined("GET", "/Observation/1", 200);
    assertThat(event(line).getSource().getObserver().getIdentifier().getValue())
        .isEqualTo("gw.example.org");
    AccessLogSource named =
        new AccessLogSource(
            "fhir",
            AccessLogFormat.COMBINED,
            "fhir.hospital.example",
            List.of("/"),
            List.of(),
            java.util.Set.of(),
            false,
            AccessLogSource.DEFAULT_SCRUB,
            JsonFieldMapping.DEFAULT);
    assertThat(
            Lines.events(line, named).get(0).getSource().getObserver().getIdentifier().getValue())
        .isEqualTo("fhir.hospital.example");
    AccessLogConversion byPeer =
        Lines.CONVERTER.convert(
            line,
            Lines.COMBINED,
            new LineOrigin(null, "192.0.2.9:40000", Lines.ORIGIN.receivedAt()));
    assertThat(
            ((AccessLogConversion.Converted) byPeer)
                .events()
                .get(0)
                .getSource()
                .getObserver()
                .getIdentifier()
                .getValue())
        .isEqualTo("192.0.2.9");
    assertThat(event(line).getSource().getTypeFirstRep().getCodingFirstRep().getCode())
        .isEqualTo("3");
  }
}
