package org.atnabridge.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.param.DateParam;
import ca.uhn.fhir.rest.param.DateAndListParam;
import ca.uhn.fhir.rest.param.DateOrListParam;
import ca.uhn.fhir.rest.param.ReferenceOrListParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.time.Instant;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.store.AuditQuery;
import org.atnabridge.store.IdentifierToken;
import org.junit.jupiter.api.Test;

class SearchParameterMapperTest {

  @Test
  void map_secondPrecisionPrefixes_giveHalfOpenBounds() {
    assertThat(dates("ge2026-01-05T10:00:00Z", "lt2026-01-05T11:00:00Z"))
        .extracting(AuditQuery::recordedFrom, AuditQuery::recordedTo)
        .containsExactly(Instant.parse("2026-01-05T10:00:00Z"), Instant.parse("2026-01-05T11:00:00Z"));
    assertThat(dates("gt2026-01-05T10:00:00Z").recordedFrom()).isEqualTo(Instant.parse("2026-01-05T10:00:01Z"));
    assertThat(dates("le2026-01-05T10:00:00Z").recordedTo()).isEqualTo(Instant.parse("2026-01-05T10:00:01Z"));
    assertThat(dates("sa2026-01-05T10:00:00Z").recordedFrom()).isEqualTo(Instant.parse("2026-01-05T10:00:01Z"));
    assertThat(dates("eb2026-01-05T10:00:00Z").recordedTo()).isEqualTo(Instant.parse("2026-01-05T10:00:00Z"));
  }

  @Test
  void map_equalsMillisecond_coversExactlyThatMillisecond() {
    AuditQuery q = dates("2026-01-05T10:00:00.123Z");
    assertThat(q.recordedFrom()).isEqualTo(Instant.parse("2026-01-05T10:00:00.123Z"));
    assertThat(q.recordedTo()).isEqualTo(Instant.parse("2026-01-05T10:00:00.124Z"));
  }

  @Test
  void map_severalBounds_intersect() {
    AuditQuery q = dates("ge2026-01-01T00:00:00Z", "ge2026-01-03T00:00:00Z", "lt2026-01-10T00:00:00Z",
        "le2026-01-04T00:00:00Z");
    assertThat(q.recordedFrom()).isEqualTo(Instant.parse("2026-01-03T00:00:00Z"));
    assertThat(q.recordedTo()).isEqualTo(Instant.parse("2026-01-04T00:00:01Z"));
  }

  @Test
  void map_orAlternativesInOneDate_areRefused() {
    DateParam a = new DateParam();
    a.setValueAsQueryToken(Fhir.context(), "date", null, "2026-01-05");
    DateParam b = new DateParam();
    b.setValueAsQueryToken(Fhir.context(), "date", null, "2026-01-07");
    DateAndListParam both = new DateAndListParam().addAnd(new DateOrListParam().addOr(a).addOr(b));
    assertThatThrownBy(() -> SearchParameterMapper.map(both, null)).isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void map_notEqualAndApproximate_areRefused() {
    assertThatThrownBy(() -> dates("ne2026-01-05")).isInstanceOf(InvalidRequestException.class).hasMessageContaining("'ne'");
    assertThatThrownBy(() -> dates("ap2026-01-05")).isInstanceOf(InvalidRequestException.class).hasMessageContaining("'ap'");
  }

  @Test
  void map_patientForms_identifierModifierChainAndReference() {
    ReferenceOrListParam patients = new ReferenceOrListParam()
        .addOr(ref(":identifier", "urn:oid:1.2|A"))
        .addOr(ref(".identifier", "|B"))
        .addOr(ref(":identifier", "C"))
        .addOr(ref(null, "Patient/7"))
        .addOr(ref(null, "8"));
    AuditQuery q = SearchParameterMapper.map(null, patients).build();
    assertThat(q.patientIdentifiers()).containsExactly(new IdentifierToken("urn:oid:1.2", "A"),
        new IdentifierToken("", "B"), new IdentifierToken(null, "C"));
    assertThat(q.patientReferences()).containsExactly("Patient/7", "Patient/8");
  }

  @Test
  void map_otherChains_areRefusedNotIgnored() {
    ReferenceOrListParam patients = new ReferenceOrListParam().addOr(ref(".name", "Smith"));
    assertThatThrownBy(() -> SearchParameterMapper.map(null, patients)).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("patient.name");
  }

  private static ReferenceParam ref(String qualifier, String value) {
    ReferenceParam r = new ReferenceParam();
    r.setValueAsQueryToken(Fhir.context(), "patient", qualifier, value);
    return r;
  }

  private static AuditQuery dates(String... values) {
    DateAndListParam all = new DateAndListParam();
    for (String v : values) {
      DateParam p = new DateParam();
      p.setValueAsQueryToken(Fhir.context(), "date", null, v);
      all.addAnd(new DateOrListParam().addOr(p));
    }
    return SearchParameterMapper.map(all, null).build();
  }
}
