package org.atnabridge.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.atnabridge.store.TestEvents.*;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.atnabridge.schemas.vocab.CodeSystems;
import org.atnabridge.store.query.SearchParameters;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.Reference;
import org.hl7.fhir.r5.model.StringType;
import org.junit.jupiter.api.Test;

/** The values of a search parameter are exactly what a search by that parameter finds. */
class EventValuesTest {

  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  private static AuditEvent sample() {
    AuditEvent e = withPatient(event("v1", T0), MRN, "p1");
    e.addAgent().setWho(new Reference("Practitioner/pr-7")).setNetwork(new StringType("10.0.0.9"));
    e.getAgentFirstRep().setNetwork(new StringType("[2001:db8::1]"));
    e.addAgent().setWho(new Reference().setIdentifier(new Identifier().setValue("nosystem")));
    return e;
  }

  @Test
  void tokens_areSystemBarCode_bothDicomAndR5OutcomeCodes() {
    assertThat(EventValues.of(SearchField.CODE, sample())).containsExactly(DCM + "|110110");
    assertThat(EventValues.of(SearchField.OUTCOME, sample()))
        .contains(CodeSystems.AUDIT_EVENT_OUTCOME + "|0", CodeSystems.ISSUE_SEVERITY + "|success");
    assertThat(EventValues.of(SearchField.ID, sample())).containsExactly("v1");
  }

  @Test
  void references_areTheLiteralReferenceOrTheIdentifier_identifiersAlone() {
    EventValues v = EventValues.of(sample());
    assertThat(v.get(SearchField.AGENT))
        .containsExactly("urn:users|alice", "Practitioner/pr-7", "|nosystem");
    assertThat(v.identifiers(SearchField.AGENT)).containsExactly("urn:users|alice", "|nosystem");
    assertThat(v.get(SearchField.PATIENT)).containsExactly(MRN + "|p1");
    assertThat(v.get(SearchField.ENCOUNTER)).isEmpty();
    assertThatThrownBy(() -> v.identifiers(SearchField.CODE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("code");
  }

  @Test
  void stringsAndDates_asWritten() {
    EventValues v = EventValues.of(sample());
    assertThat(v.get(SearchField.ADDRESS)).containsExactly("[2001:db8::1]", "10.0.0.9");
    assertThat(v.get(SearchField.DATE)).containsExactly("2026-03-01T10:00:00Z");
  }

  @Test
  void everyValue_findsTheEvent_whenSearchedForByTheSameParameter() {
    AuditEvent e = sample();
    AuditEvent other = withAgent(withPatient(event("v2", T0), OTHER, "p9"), "bob");
    other.getOutcome().getCode().setCode("8");
    EventValues v = EventValues.of(e);
    for (String token : v.get(SearchField.OUTCOME)) {
      assertFinds("outcome=" + enc(token), e, other);
    }
    for (String id : v.identifiers(SearchField.AGENT)) {
      assertFinds("agent.identifier=" + enc(id), e, other);
    }
    assertFinds("agent=Practitioner/pr-7", e, other);
    for (String id : v.get(SearchField.PATIENT)) {
      assertFinds("patient:identifier=" + enc(id), e, other);
    }
    for (String address : v.get(SearchField.ADDRESS)) {
      assertFinds("address:exact=" + enc(address), e, other);
    }
  }

  private static void assertFinds(String query, AuditEvent hit, AuditEvent miss) {
    AuditEventMatcher m = AuditEventMatcher.of(SearchParameters.fromQueryString(query));
    assertThat(m).as(query).accepts(hit).rejects(miss);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
