package org.atnabridge.store.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.api.SortOrderEnum;
import ca.uhn.fhir.rest.api.SortSpec;
import ca.uhn.fhir.rest.param.DateAndListParam;
import ca.uhn.fhir.rest.param.DateOrListParam;
import ca.uhn.fhir.rest.param.DateParam;
import ca.uhn.fhir.rest.param.ReferenceAndListParam;
import ca.uhn.fhir.rest.param.ReferenceOrListParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.StringAndListParam;
import ca.uhn.fhir.rest.param.StringOrListParam;
import ca.uhn.fhir.rest.param.StringParam;
import ca.uhn.fhir.rest.param.TokenAndListParam;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.param.UriAndListParam;
import ca.uhn.fhir.rest.param.UriOrListParam;
import ca.uhn.fhir.rest.param.UriParam;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.time.Instant;
import java.util.List;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.store.AuditQuery;
import org.atnabridge.store.Criterion;
import org.atnabridge.store.IdentifierToken;
import org.atnabridge.store.SearchField;
import org.atnabridge.store.SortOrder;
import org.junit.jupiter.api.Test;

class SearchParameterMapperTest {

  @Test
  void map_secondPrecisionPrefixes_giveHalfOpenBounds() {
    assertThat(dates("ge2026-01-05T10:00:00Z", "lt2026-01-05T11:00:00Z"))
        .extracting(AuditQuery::recordedFrom, AuditQuery::recordedTo)
        .containsExactly(
            Instant.parse("2026-01-05T10:00:00Z"), Instant.parse("2026-01-05T11:00:00Z"));
    assertThat(dates("gt2026-01-05T10:00:00Z").recordedFrom())
        .isEqualTo(Instant.parse("2026-01-05T10:00:01Z"));
    assertThat(dates("le2026-01-05T10:00:00Z").recordedTo())
        .isEqualTo(Instant.parse("2026-01-05T10:00:01Z"));
    assertThat(dates("sa2026-01-05T10:00:00Z").recordedFrom())
        .isEqualTo(Instant.parse("2026-01-05T10:00:01Z"));
    assertThat(dates("eb2026-01-05T10:00:00Z").recordedTo())
        .isEqualTo(Instant.parse("2026-01-05T10:00:00Z"));
  }

  @Test
  void outcome_r4System_meansTheSameCodeAsR5s() {
    AuditQuery.Builder b = AuditQuery.builder();
    SearchParameterMapper.token(
        b,
        "outcome",
        new TokenAndListParam()
            .addAnd(new TokenParam("http://hl7.org/fhir/audit-event-outcome", "8")));
    assertThat(b.build().criteria())
        .containsExactly(
            new Criterion.Token(
                SearchField.OUTCOME,
                List.of(
                    new IdentifierToken(
                        "http://terminology.hl7.org/CodeSystem/audit-event-outcome", "8")),
                false));
  }

  @Test
  void map_equalsMillisecond_coversExactlyThatMillisecond() {
    AuditQuery q = dates("2026-01-05T10:00:00.123Z");
    assertThat(q.recordedFrom()).isEqualTo(Instant.parse("2026-01-05T10:00:00.123Z"));
    assertThat(q.recordedTo()).isEqualTo(Instant.parse("2026-01-05T10:00:00.124Z"));
  }

  @Test
  void map_severalBounds_intersect() {
    AuditQuery q =
        dates(
            "ge2026-01-01T00:00:00Z",
            "ge2026-01-03T00:00:00Z",
            "lt2026-01-10T00:00:00Z",
            "le2026-01-04T00:00:00Z");
    assertThat(q.recordedFrom()).isEqualTo(Instant.parse("2026-01-03T00:00:00Z"));
    assertThat(q.recordedTo()).isEqualTo(Instant.parse("2026-01-04T00:00:01Z"));
  }

  @Test
  void map_orAlternativesInOneDate_becomeRanges() {
    DateParam a = new DateParam();
    a.setValueAsQueryToken(Fhir.context(), "date", null, "2026-01-05");
    DateParam b = new DateParam();
    b.setValueAsQueryToken(Fhir.context(), "date", null, "ge2026-01-07");
    DateAndListParam both = new DateAndListParam().addAnd(new DateOrListParam().addOr(a).addOr(b));
    AuditQuery q = SearchParameterMapper.map(both, null).build();
    assertThat(q.recordedFrom()).isNull();
    assertThat(q.criteria())
        .containsExactly(
            new Criterion.Date(
                SearchField.DATE,
                List.of(
                    new Criterion.DateRange(
                        Instant.parse("2026-01-05T00:00:00Z"),
                        Instant.parse("2026-01-06T00:00:00Z")),
                    new Criterion.DateRange(Instant.parse("2026-01-07T00:00:00Z"), null))));
  }

  @Test
  void map_notEqual_isEverythingOutsideTheValue() {
    AuditQuery q = dates("ne2026-01-05");
    assertThat(q.criteria())
        .containsExactly(
            new Criterion.Date(
                SearchField.DATE,
                List.of(
                    new Criterion.DateRange(null, Instant.parse("2026-01-05T00:00:00Z")),
                    new Criterion.DateRange(Instant.parse("2026-01-06T00:00:00Z"), null))));
  }

  @Test
  void map_approximate_isRefused() {
    assertThatThrownBy(() -> dates("ap2026-01-05"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("'ap'");
  }

  @Test
  void map_patientForms_identifierModifierChainAndReference() {
    ReferenceOrListParam patients =
        new ReferenceOrListParam()
            .addOr(ref(":identifier", "urn:oid:1.2|A"))
            .addOr(ref(".identifier", "|B"))
            .addOr(ref(":identifier", "C"))
            .addOr(ref(null, "Patient/7"))
            .addOr(ref(null, "8"));
    AuditQuery q = SearchParameterMapper.map(null, patients).build();
    assertThat(q.criteria())
        .containsExactly(
            new Criterion.Reference(
                SearchField.PATIENT,
                List.of(
                    Criterion.ReferenceValue.identifier(new IdentifierToken("urn:oid:1.2", "A")),
                    Criterion.ReferenceValue.identifier(new IdentifierToken("", "B")),
                    Criterion.ReferenceValue.identifier(new IdentifierToken(null, "C")),
                    Criterion.ReferenceValue.literal("Patient/7"),
                    Criterion.ReferenceValue.literal("Patient/8"))));
  }

  @Test
  void reference_repeatedParametersAnd_commaValuesOr_bareIdMatchesAnyTypeExceptForPatient() {
    AuditQuery.Builder b = AuditQuery.builder();
    SearchParameterMapper.reference(
        b,
        "agent",
        new ReferenceAndListParam()
            .addAnd(
                new ReferenceOrListParam()
                    .addOr(ref("agent", ".identifier", "sys|u1"))
                    .addOr(ref("agent", null, "Practitioner/9")))
            .addAnd(new ReferenceOrListParam().addOr(ref("agent", null, "dev1"))));
    assertThat(b.build().criteria())
        .containsExactly(
            new Criterion.Reference(
                SearchField.AGENT,
                List.of(
                    Criterion.ReferenceValue.identifier(new IdentifierToken("sys", "u1")),
                    Criterion.ReferenceValue.literal("Practitioner/9"))),
            new Criterion.Reference(
                SearchField.AGENT, List.of(Criterion.ReferenceValue.literal("dev1"))));
  }

  @Test
  void reference_missing_becomesMissingCriterion() {
    AuditQuery.Builder b = AuditQuery.builder();
    ReferenceParam missing = new ReferenceParam();
    missing.setValueAsQueryToken(Fhir.context(), "encounter", ":missing", "true");
    SearchParameterMapper.reference(
        b,
        "encounter",
        new ReferenceAndListParam().addAnd(new ReferenceOrListParam().addOr(missing)));
    assertThat(b.build().criteria())
        .containsExactly(new Criterion.Missing(SearchField.ENCOUNTER, true));
  }

  @Test
  void token_systemCodeForms_notAndMissing_andAliasesResolveToTheR5Field() {
    AuditQuery.Builder b = AuditQuery.builder();
    SearchParameterMapper.token(b, "subtype", tokens(null, "sys|a,|b,c"));
    SearchParameterMapper.token(b, "type", tokens(":not", "x"));
    SearchParameterMapper.token(b, "outcome", tokens(":missing", "false"));
    assertThat(b.build().criteria())
        .containsExactly(
            new Criterion.Token(
                SearchField.CODE,
                List.of(
                    new IdentifierToken("sys", "a"),
                    new IdentifierToken("", "b"),
                    new IdentifierToken(null, "c")),
                false),
            new Criterion.Token(
                SearchField.CATEGORY, List.of(new IdentifierToken(null, "x")), true),
            new Criterion.Missing(SearchField.OUTCOME, false));
  }

  @Test
  void token_otherModifiers_areRefused() {
    assertThatThrownBy(
            () ->
                SearchParameterMapper.token(AuditQuery.builder(), "purpose", tokens(":text", "x")))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("purpose:text");
    assertThatThrownBy(
            () ->
                SearchParameterMapper.token(
                    AuditQuery.builder(), "purpose", tokens(":in", "http://vs")))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void string_modifiers_mapToMatchKinds() {
    AuditQuery.Builder b = AuditQuery.builder();
    SearchParameterMapper.string(b, "agent-name", strings(null, "smi"));
    SearchParameterMapper.string(b, "agent-name", strings(":exact", "Smith"));
    SearchParameterMapper.string(b, "address", strings(":contains", "168"));
    assertThat(b.build().criteria())
        .containsExactly(
            new Criterion.Text(
                SearchField.AGENT_NAME, List.of("smi"), Criterion.StringMatch.STARTS_WITH),
            new Criterion.Text(
                SearchField.AGENT_NAME, List.of("Smith"), Criterion.StringMatch.EXACT),
            new Criterion.Text(
                SearchField.ADDRESS, List.of("168"), Criterion.StringMatch.CONTAINS));
  }

  @Test
  void uri_exactValues_belowRefused() {
    AuditQuery.Builder b = AuditQuery.builder();
    SearchParameterMapper.uri(
        b,
        "policy",
        new UriAndListParam()
            .addAnd(
                new UriOrListParam().addOr(new UriParam("urn:p1")).addOr(new UriParam("urn:p2"))));
    assertThat(b.build().criteria())
        .containsExactly(new Criterion.Uri(SearchField.POLICY, List.of("urn:p1", "urn:p2")));
    UriParam below = new UriParam();
    below.setValueAsQueryToken(Fhir.context(), "policy", ":below", "urn:p");
    assertThatThrownBy(
            () ->
                SearchParameterMapper.uri(
                    AuditQuery.builder(),
                    "policy",
                    new UriAndListParam().addAnd(new UriOrListParam().addOr(below))))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void lastUpdated_commaValuesOr_asRanges() {
    DateParam a = new DateParam();
    a.setValueAsQueryToken(Fhir.context(), "_lastUpdated", null, "2026-01-05");
    DateParam b = new DateParam();
    b.setValueAsQueryToken(Fhir.context(), "_lastUpdated", null, "ge2026-02-01T00:00:00Z");
    AuditQuery.Builder q = AuditQuery.builder();
    SearchParameterMapper.dateCriterion(
        q, "_lastUpdated", new DateAndListParam().addAnd(new DateOrListParam().addOr(a).addOr(b)));
    assertThat(q.build().criteria())
        .containsExactly(
            new Criterion.Date(
                SearchField.LAST_UPDATED,
                List.of(
                    new Criterion.DateRange(
                        Instant.parse("2026-01-05T00:00:00Z"),
                        Instant.parse("2026-01-06T00:00:00Z")),
                    new Criterion.DateRange(Instant.parse("2026-02-01T00:00:00Z"), null))));
  }

  @Test
  void text_repeatedJoin_commaRefused() {
    AuditQuery.Builder b = AuditQuery.builder();
    SearchParameterMapper.text(
        b,
        java.util.Arrays.asList(
            strings(null, "chart"),
            null,
            new StringAndListParam()
                .addAnd(new StringOrListParam().addOr(new StringParam("smith")))));
    assertThat(b.build().text()).isEqualTo("chart smith");
    assertThatThrownBy(
            () ->
                SearchParameterMapper.text(
                    AuditQuery.builder(),
                    List.of(
                        new StringAndListParam()
                            .addAnd(
                                new StringOrListParam()
                                    .addOr(new StringParam("a"))
                                    .addOr(new StringParam("b"))))))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void sort_dateAndLastUpdated_othersRefused() {
    AuditQuery.Builder b = AuditQuery.builder();
    SearchParameterMapper.sort(b, new SortSpec("date", SortOrderEnum.ASC));
    assertThat(b.build().sort()).isEqualTo(SortOrder.DATE_ASC);
    SearchParameterMapper.sort(b, new SortSpec("_lastUpdated", SortOrderEnum.DESC));
    assertThat(b.build().sort()).isEqualTo(SortOrder.LAST_UPDATED_DESC);
    assertThatThrownBy(
            () -> SearchParameterMapper.sort(AuditQuery.builder(), new SortSpec("outcome")))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(
            () ->
                SearchParameterMapper.sort(
                    AuditQuery.builder(),
                    new SortSpec("date", SortOrderEnum.ASC, new SortSpec("_lastUpdated"))))
        .isInstanceOf(InvalidRequestException.class);
  }

  private static TokenAndListParam tokens(String qualifier, String commaValues) {
    TokenOrListParam or = new TokenOrListParam();
    for (String v : commaValues.split(",")) {
      TokenParam t = new TokenParam();
      t.setValueAsQueryToken(Fhir.context(), "t", qualifier, v);
      or.addOr(t);
    }
    return new TokenAndListParam().addAnd(or);
  }

  private static StringAndListParam strings(String qualifier, String value) {
    StringParam s = new StringParam();
    s.setValueAsQueryToken(Fhir.context(), "s", qualifier, value);
    return new StringAndListParam().addAnd(new StringOrListParam().addOr(s));
  }

  private static ReferenceParam ref(String name, String qualifier, String value) {
    ReferenceParam r = new ReferenceParam();
    r.setValueAsQueryToken(Fhir.context(), name, qualifier, value);
    return r;
  }

  @Test
  void map_otherChains_areRefusedNotIgnored() {
    ReferenceOrListParam patients = new ReferenceOrListParam().addOr(ref(".name", "Smith"));
    assertThatThrownBy(() -> SearchParameterMapper.map(null, patients))
        .isInstanceOf(InvalidRequestException.class)
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
