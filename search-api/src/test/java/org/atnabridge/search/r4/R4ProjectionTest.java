package org.atnabridge.search.r4;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Date;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.schemas.vocab.CodeSystems;
import org.atnabridge.schemas.vocab.Extensions;
import org.atnabridge.schemas.vocab.NetworkAccessPointType;
import org.atnabridge.schemas.vocab.Profiles;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentNetworkType;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.AuditEvent.AuditEventAgentComponent;
import org.hl7.fhir.r5.model.AuditEvent.AuditEventEntityComponent;
import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.Extension;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.Reference;
import org.hl7.fhir.r5.model.StringType;
import org.hl7.fhir.r5.model.UriType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** R5 → R4 (BALP 1.1.4): each mapping the HL7 converter lacks or makes differently. */
class R4ProjectionTest {

  private static AuditEvent event() {
    AuditEvent e = new AuditEvent();
    e.setId("e1");
    e.addCategory(new CodeableConcept(new Coding(CodeSystems.AUDIT_EVENT_TYPE, "rest", "Restful")));
    e.setCode(new CodeableConcept(new Coding(CodeSystems.RESTFUL_INTERACTION, "read", "read")));
    e.setAction(AuditEvent.AuditEventAction.R);
    e.setRecorded(new Date(1_700_000_000_000L));
    e.getOutcome().setCode(new Coding(CodeSystems.AUDIT_EVENT_OUTCOME, "0", "Success"));
    e.getSource().setObserver(new Reference().setDisplay("fhir-server"));
    return e;
  }

  private static AuditEventAgentComponent agent(AuditEvent e, String type) {
    return e.addAgent()
        .setType(new CodeableConcept(new Coding(CodeSystems.DCM, type, null)))
        .setWho(new Reference().setIdentifier(new Identifier().setValue("who-" + type)));
  }

  @Test
  void typeAndSubtype_fromCategoryAndCode() {
    var r4 = R4Projection.toR4(event());
    assertThat(r4.getType().getSystem()).isEqualTo(CodeSystems.AUDIT_EVENT_TYPE);
    assertThat(r4.getType().getCode()).isEqualTo("rest");
    assertThat(r4.getSubtype())
        .singleElement()
        .satisfies(s -> assertThat(s.getCode()).isEqualTo("read"));
    assertThat(r4.getAction().toCode()).isEqualTo("R");
  }

  @Test
  void searchCompartment_isR4Search() {
    AuditEvent e = event();
    e.getCode().getCodingFirstRep().setCode("search-compartment");
    assertThat(R4Projection.toR4(e).getSubtypeFirstRep().getCode()).isEqualTo("search");
  }

  @ParameterizedTest(name = "{0}#{1} → {2}")
  @CsvSource({
    "http://terminology.hl7.org/CodeSystem/audit-event-outcome, 0,  0",
    "http://terminology.hl7.org/CodeSystem/audit-event-outcome, 4,  4",
    "http://terminology.hl7.org/CodeSystem/audit-event-outcome, 8,  8",
    "http://terminology.hl7.org/CodeSystem/audit-event-outcome, 12, 12",
    "http://hl7.org/fhir/audit-event-outcome,                   8,  8",
    "http://hl7.org/fhir/issue-severity,                        fatal, 12",
    "http://hl7.org/fhir/issue-severity,                        warning, 4",
    "http://terminology.hl7.org/CodeSystem/audit-event-outcome, 5,  ",
    "http://example.org/other,                                  0,  ",
  })
  void outcome_asTheR4Code(String system, String code, String expected) {
    AuditEvent e = event();
    e.getOutcome().setCode(new Coding(system, code, null));
    var r4 = R4Projection.toR4(e);
    if (expected == null) {
      assertThat(r4.hasOutcome()).isFalse();
    } else {
      assertThat(r4.getOutcome()).isEqualTo(AuditEventOutcome.fromCode(expected));
    }
  }

  @Test
  void outcomeDesc_fromEveryDetailText() {
    AuditEvent e = event();
    e.getOutcome().addDetail(new CodeableConcept().setText("HTTP 502"));
    e.getOutcome().addDetail(new CodeableConcept().setText("upstream HTTP 503"));
    assertThat(R4Projection.toR4(e).getOutcomeDesc()).isEqualTo("HTTP 502; upstream HTTP 503");
  }

  @Test
  void purposeOfUse_fromTheAuthorizations() {
    AuditEvent e = event();
    Coding treat = new Coding(CodeSystems.V3_ACT_REASON, "TREAT", "treatment");
    e.addAuthorization(new CodeableConcept(treat));
    agent(e, "110153").addAuthorization(new CodeableConcept(treat.copy()));
    var r4 = R4Projection.toR4(e);
    assertThat(r4.getPurposeOfEventFirstRep().getCodingFirstRep().getCode()).isEqualTo("TREAT");
    assertThat(r4.getAgentFirstRep().getPurposeOfUseFirstRep().getCodingFirstRep().getCode())
        .isEqualTo("TREAT");
  }

  @Test
  void agentTypes_asStored_theInvertedReadTypesStay() {
    // IHE.BasicAudit.Read: client 110152 Destination, server 110153 Source
    AuditEvent e = event();
    agent(e, "110152");
    agent(e, "110153");
    var r4 = R4Projection.toR4(e);
    assertThat(r4.getAgent().get(0).getType().getCodingFirstRep().getCode()).isEqualTo("110152");
    assertThat(r4.getAgent().get(1).getType().getCodingFirstRep().getCode()).isEqualTo("110153");
  }

  @Test
  void agentName_fromWhoDisplay_altId_fromItsExtension() {
    AuditEvent e = event();
    AuditEventAgentComponent a = agent(e, "110153");
    a.getWho().setDisplay("Dr. Smith");
    a.addExtension(Extensions.HL7_ALTERNATIVE_USER_ID, new Identifier().setValue("4711"));
    var r4 = R4Projection.toR4(e).getAgentFirstRep();
    assertThat(r4.getName()).isEqualTo("Dr. Smith");
    assertThat(r4.getAltId()).isEqualTo("4711");
    assertThat(r4.getExtension()).isEmpty();
  }

  @ParameterizedTest(name = "{0} (type {1}) → {2} type {3}")
  @CsvSource({
    "string, [10.1.1.7],           2, 10.1.1.7,           2",
    "string, [10.1.1.7],             , 10.1.1.7,           2",
    "string, [2001:db8::7],        2, 2001:db8::7,        2",
    "string, [2001:db8::7],          , 2001:db8::7,        2",
    "string, 10.1.1.7,               , 10.1.1.7,           2",
    "string, fhir.example,         1, fhir.example,       1",
    "string, fhir.example,           , fhir.example,       1",
    "uri,    tel:+41315550000,     3, +41315550000,       3",
    "uri,    mailto:a@example.org, 4, a@example.org,      4",
    "uri,    https://h.example/x,  5, https://h.example/x, 5",
    "uri,    https://h.example/x,   , https://h.example/x, 5",
  })
  void network_bareAddress_andItsType(
      String kind, String r5Address, String r5Type, String address, String type) {
    AuditEvent e = event();
    AuditEventAgentComponent a = agent(e, "110153");
    a.setNetwork(kind.equals("uri") ? new UriType(r5Address) : new StringType(r5Address));
    if (r5Type != null) {
      a.addExtension(Extensions.NETWORK_ACCESS_POINT_TYPE, NetworkAccessPointType.coding(r5Type));
    }
    var r4 = R4Projection.toR4(e).getAgentFirstRep();
    assertThat(r4.getNetwork().getAddress()).isEqualTo(address);
    assertThat(r4.getNetwork().getType()).isEqualTo(AuditEventAgentNetworkType.fromCode(type));
    assertThat(r4.getExtension()).isEmpty();
  }

  @Test
  void sourceSite_asAString() {
    AuditEvent e = event();
    e.getSource()
        .setSite(
            new Reference()
                .setIdentifier(new Identifier().setValue("site-1"))
                .setDisplay("Site One"));
    assertThat(R4Projection.toR4(e).getSource().getSite()).isEqualTo("site-1");
  }

  @Test
  void entityType_fromTheParticipantObjectTypeExtension() {
    AuditEvent e = event();
    AuditEventEntityComponent en =
        e.addEntity().setWhat(new Reference().setIdentifier(new Identifier().setValue("x")));
    en.addExtension(
        Extensions.PARTICIPANT_OBJECT_TYPE, new Coding(CodeSystems.AUDIT_ENTITY_TYPE, "3", "Org"));
    var r4 = R4Projection.toR4(e).getEntityFirstRep();
    assertThat(r4.getType().getCode()).isEqualTo("3");
    assertThat(r4.getExtension()).isEmpty();
  }

  @ParameterizedTest(name = "{0} role {1} → type {2}")
  @CsvSource({
    // BALP slices: patient (ENT#1, ROLE#1), data (ENT#2, RestObjectRoles), query (ENT#2, ROLE#24)
    "Patient/7,     1,  1",
    "Patient/7,     4,  2",
    "Observation/9, 4,  2",
    "Observation/9, 20, 2",
    "Patient/7,      ,  1",
  })
  void entityType_byWhatTheEntityIs(String reference, String role, String type) {
    AuditEvent e = event();
    AuditEventEntityComponent en = e.addEntity().setWhat(new Reference(reference));
    if (role != null) {
      en.setRole(new CodeableConcept(new Coding(CodeSystems.OBJECT_ROLE, role, null)));
    }
    var r4 = R4Projection.toR4(e).getEntityFirstRep();
    assertThat(r4.getType().getSystem()).isEqualTo(CodeSystems.AUDIT_ENTITY_TYPE);
    assertThat(r4.getType().getCode()).isEqualTo(type);
  }

  @Test
  void transactionEntity_typedXRequestId() {
    AuditEvent e = event();
    e.addEntity()
        .setWhat(new Reference().setIdentifier(new Identifier().setValue("req-1")))
        .setRole(new CodeableConcept(new Coding(CodeSystems.BALP_ENTITY_TYPE, "XrequestId", null)));
    var r4 = R4Projection.toR4(e).getEntityFirstRep();
    assertThat(r4.getType().getSystem()).isEqualTo(CodeSystems.BALP_ENTITY_TYPE);
    assertThat(r4.getType().getCode()).isEqualTo("XrequestId");
  }

  @Test
  void queryEntity_queryStringIsTheDescription_noDetailNoName() {
    AuditEvent e = event();
    AuditEventEntityComponent q = e.addEntity();
    q.setRole(new CodeableConcept(new Coding(CodeSystems.OBJECT_ROLE, "24", "Query")));
    q.setQuery("GET /Patient?name=x".getBytes(StandardCharsets.UTF_8));
    q.addDetail()
        .setType(new CodeableConcept().setText("query-string"))
        .setValue(new StringType("name=x"));
    var r4 = R4Projection.toR4(e).getEntityFirstRep();
    assertThat(r4.getType().getCode()).isEqualTo("2");
    assertThat(r4.getDescription()).isEqualTo("name=x");
    assertThat(r4.getDetail()).isEmpty();
    assertThat(r4.hasName()).isFalse();
    assertThat(new String(r4.getQuery(), StandardCharsets.UTF_8)).isEqualTo("GET /Patient?name=x");
  }

  @Test
  void entityName_description_lifecycle_fromWhereR5KeepsThem() {
    AuditEvent e = event();
    AuditEventEntityComponent en =
        e.addEntity().setWhat(new Reference("Observation/9").setDisplay("Glucose"));
    en.addExtension(
        Extensions.HL7_LIFECYCLE,
        new CodeableConcept(new Coding(CodeSystems.DICOM_AUDIT_LIFECYCLE, "6", "Access / Use")));
    Extension description = new Extension(Extensions.PARTICIPANT_OBJECT_DESCRIPTION);
    description.addExtension(Extensions.DESCRIPTION_TEXT, new StringType("fasting"));
    en.addExtension(description);
    var r4 = R4Projection.toR4(e).getEntityFirstRep();
    assertThat(r4.getName()).isEqualTo("Glucose");
    assertThat(r4.getDescription()).isEqualTo("fasting");
    assertThat(r4.getLifecycle().getCode()).isEqualTo("6");
    assertThat(r4.getExtension()).isEmpty();
  }

  @Test
  void metaProfile_theBalpProfileTheTagClaims() {
    AuditEvent e = event();
    e.getMeta().addTag(CodeSystems.BALP_PATTERN, "IHE.BasicAudit.PatientRead", null);
    e.getMeta().addTag(CodeSystems.CONVERSION_FLAG, "split-per-patient", null);
    var r4 = R4Projection.toR4(e);
    assertThat(r4.getMeta().getProfile())
        .singleElement()
        .satisfies(
            p ->
                assertThat(p.getValue())
                    .isEqualTo(Profiles.BALP_BASE + "IHE.BasicAudit.PatientRead"));
    assertThat(r4.getMeta().getTag()).hasSize(2);
  }

  @Test
  void theStoredEvent_isLeftUntouched() {
    AuditEvent e = event();
    AuditEventAgentComponent a = agent(e, "110153");
    a.setNetwork(new StringType("[10.1.1.7]"));
    a.addExtension(Extensions.NETWORK_ACCESS_POINT_TYPE, NetworkAccessPointType.coding("2"));
    e.getMeta().addTag(CodeSystems.BALP_PATTERN, "IHE.BasicAudit.Read", null);
    String before = Fhir.toJson(e);
    R4Projection.toR4(e);
    assertThat(Fhir.toJson(e)).isEqualTo(before);
  }
}
