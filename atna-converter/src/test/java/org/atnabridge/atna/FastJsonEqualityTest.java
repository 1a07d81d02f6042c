package org.atnabridge.atna;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.parser.IParser;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.schemas.FhirJsonWriter;
import org.atnabridge.schemas.vocab.CodeSystems;
import org.atnabridge.schemas.vocab.Extensions;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r5.model.AuditEvent.AuditEventAgentComponent;
import org.hl7.fhir.r5.model.AuditEvent.AuditEventEntityComponent;
import org.hl7.fhir.r5.model.Base64BinaryType;
import org.hl7.fhir.r5.model.BooleanType;
import org.hl7.fhir.r5.model.CodeType;
import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.DateTimeType;
import org.hl7.fhir.r5.model.DecimalType;
import org.hl7.fhir.r5.model.Extension;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.InstantType;
import org.hl7.fhir.r5.model.Integer64Type;
import org.hl7.fhir.r5.model.IntegerType;
import org.hl7.fhir.r5.model.Narrative;
import org.hl7.fhir.r5.model.Patient;
import org.hl7.fhir.r5.model.Quantity;
import org.hl7.fhir.r5.model.Reference;
import org.hl7.fhir.r5.model.StringType;
import org.hl7.fhir.r5.model.UriType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The condition for a faster JSON writer (identical output): {@link FhirJsonWriter} (behind {@link
 * Fhir#toJson}, {@link Fhir#toJsonBytes} and the AuditEvent serde) against HAPI's reflective
 * encoder.
 *
 * <ul>
 *   <li>Every AuditEvent of every corpus vector: the writer's output is byte-identical to HAPI's,
 *       and HAPI parses both to {@code equalsDeep} resources.
 *   <li>Hand-built events the converter never produces: extensions (with ids, nested) on
 *       primitives, primitives with only an extension, arrays of primitives with gaps, JSON
 *       escaping (quotes, backslash, control characters, non-ASCII, surrogate pairs), base64
 *       fields, decimals, integer64, booleans, meta: byte-identical too.
 *   <li>Contained resources and narrative: {@link Fhir#toJson} gives them to HAPI (it renumbers
 *       contained ids and serializes XHTML its own way); the writer's own output still parses to an
 *       {@code equalsDeep} resource. An id with base URL / type / version: HAPI writes the bare id
 *       and moves the version to {@code meta.versionId}, the writer writes the id as set, so {@link
 *       Fhir#toJson} gives those to HAPI too.
 * </ul>
 */
class FastJsonEqualityTest {

  private final IParser hapi = Fhir.jsonParser();
  private final FhirJsonWriter fast = new FhirJsonWriter();

  static Stream<String> vectors() {
    return Corpus.vectors().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void everyVector_sameBytesAndSameResourceAsHapi(String vector) throws Exception {
    List<AuditEvent> events = new AtnaConverter().convert(Corpus.message(vector), Corpus.META);
    assertThat(events).isNotEmpty();
    for (AuditEvent e : events) {
      assertThat(FhirJsonWriter.sameBytesAsHapi(e)).isTrue();
      assertSameAsHapi(e, true);
    }
  }

  @Test
  void extensionsOnPrimitives_nestedExtensionsWithIds_gapsInPrimitiveArrays() {
    AuditEvent e = base();
    e.getActionElement().addExtension("http://example.org/action-note", new StringType("note"));
    e.getRecordedElement().setId("rec1");
    e.getRecordedElement().addExtension("http://example.org/precision", new CodeType("ms"));
    AuditEventAgentComponent agent = e.getAgentFirstRep();
    agent.getRequestorElement().addExtension("http://example.org/why", new BooleanType(false));
    agent.addPolicyElement().setValue("urn:policy:1");
    UriType onlyExtension = agent.addPolicyElement();
    onlyExtension.addExtension(Extensions.HL7_DATA_ABSENT_REASON, new CodeType("masked"));
    agent.addPolicyElement().setValue("urn:policy:3");
    Extension outer = new Extension("http://example.org/outer");
    outer.setId("ext-1");
    outer.addExtension("inner", new IntegerType(-7));
    Extension deeper = new Extension("deeper");
    deeper.addExtension("leaf", new DateTimeType("2025-04-18T09:04:01.5+02:00"));
    outer.addExtension(deeper);
    e.addExtension(outer);
    e.addModifierExtension(new Extension("http://example.org/modifier", new BooleanType(true)));
    Reference who = agent.getWho();
    who.getDisplayElement().addExtension("http://example.org/lang", new CodeType("de"));
    who.getDisplayElement().setValue(null);
    assertSameAsHapi(e, true);
  }

  @Test
  void escaping_controlCharacters_quotes_nonAscii_surrogatePairs() {
    AuditEvent e = base();
    StringBuilder controls = new StringBuilder();
    for (char c = 0; c < 0x20; c++) {
      controls.append(c);
    }
    e.getOutcome()
        .addDetail(
            new CodeableConcept()
                .setText(
                    "quote \" backslash \\ slash / </script> "
                        + controls
                        + " DEL\u007f é ü 漢字 \u2028\u2029 emoji 😀 \uD834\uDD1E nbsp\u00a0 bom\uFEFF"));
    e.getAgentFirstRep().getWho().setDisplay("Zoë \"Dr.\" O'Brien\\Müller\t\r\n");
    assertSameAsHapi(e, true);
  }

  @Test
  void base64Fields_decimals_integer64_quantities() {
    AuditEvent e = base();
    AuditEventEntityComponent en = e.addEntity();
    en.getWhat().setIdentifier(new Identifier().setValue("1.2.3"));
    en.setQueryElement(new Base64BinaryType("PHF1ZXJ5Pkhhbm5lczwvcXVlcnk+"));
    en.addDetail()
        .setType(new CodeableConcept().setText("ihe:homeCommunityID"))
        .setValue(new Base64BinaryType("dXJuOm9pZDoxLjIuMw=="));
    en.addDetail()
        .setType(new CodeableConcept().setText("empty-ish"))
        .setValue(new Base64BinaryType("AA=="));
    en.addDetail()
        .setType(new CodeableConcept().setText("count"))
        .setValue(new IntegerType(2147483647));
    en.addDetail().setType(new CodeableConcept().setText("flag")).setValue(new BooleanType(false));
    en.addDetail()
        .setType(new CodeableConcept().setText("qty"))
        .setValue(
            new Quantity()
                .setValueElement(new DecimalType("1.50"))
                .setUnit("mg")
                .setCode("mg")
                .setSystem("http://unitsofmeasure.org"));
    e.addExtension("http://example.org/decimal-trailing-zeros", new DecimalType("100.000"));
    e.addExtension("http://example.org/decimal-small", new DecimalType("0.0000001"));
    e.addExtension("http://example.org/decimal-negative", new DecimalType("-12.3400"));
    e.addExtension(
        "http://example.org/decimal-from-bigdecimal", new DecimalType(new BigDecimal("3.14159")));
    e.addExtension("http://example.org/decimal-integer", new DecimalType(42));
    e.addExtension("http://example.org/int64", new Integer64Type(9_007_199_254_740_993L));
    e.addExtension("http://example.org/instant", new InstantType("2025-04-18T09:04:01.123456789Z"));
    assertSameAsHapi(e, true);
  }

  @Test
  void metaAndIdentifiers() {
    AuditEvent e = base();
    e.getMeta()
        .setVersionId("3")
        .setLastUpdatedElement(new InstantType("2025-04-18T09:05:00.000Z"))
        .setSource("urn:source")
        .addProfile("http://example.org/StructureDefinition/p")
        .addSecurity(new Coding(CodeSystems.V3_CONFIDENTIALITY, "R", "restricted"))
        .addTag("http://example.org/tags", "t", null);
    e.setPatient(
        new Reference()
            .setType("Patient")
            .setIdentifier(new Identifier().setSystem("urn:oid:1.2.3").setValue("P^1&2")));
    assertSameAsHapi(e, true);
  }

  @Test
  void containedNarrativeAndQualifiedId_toJsonUsesHapi_writerStillSameContent() {
    AuditEvent contained = base();
    Patient p = new Patient();
    p.setId("p1");
    p.addName().setFamily("Müller").addGiven("Hans");
    p.setBirthDateElement(new org.hl7.fhir.r5.model.DateType("1970-01-01"));
    contained.addContained(p);
    contained.addEntity().setWhat(new Reference("#p1"));

    AuditEvent narrative = base();
    narrative
        .getText()
        .setStatus(Narrative.NarrativeStatus.GENERATED)
        .setDivAsString(
            "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Query by <b>Dr. X</b> &amp; co<br/></p></div>");

    for (AuditEvent e : List.of(contained, narrative)) {
      assertThat(FhirJsonWriter.sameBytesAsHapi(e)).isFalse();
      assertSameAsHapi(e, false);
    }

    // what a parse gives back ("AuditEvent/abc") and a base URL: both write only the id part
    for (String id : List.of("AuditEvent/abc", "http://example.org/fhir/AuditEvent/abc")) {
      AuditEvent typed = base();
      typed.setId(id);
      assertThat(FhirJsonWriter.sameBytesAsHapi(typed)).as(id).isTrue();
      assertSameAsHapi(typed, true);
    }
    AuditEvent parsed = hapi.parseResource(AuditEvent.class, hapi.encodeResourceToString(base()));
    assertThat(parsed.getIdElement().getValue()).contains("/");
    assertThat(FhirJsonWriter.sameBytesAsHapi(parsed)).isTrue();
    assertSameAsHapi(parsed, true);

    // HAPI moves a version to meta.versionId; Fhir.toJson therefore leaves versioned ids to HAPI.
    AuditEvent qualified = base();
    qualified.setId("http://example.org/fhir/AuditEvent/abc/_history/2");
    assertThat(FhirJsonWriter.sameBytesAsHapi(qualified)).isFalse();
    String expected = hapi.encodeResourceToString(qualified);
    assertThat(expected).contains("\"id\":\"abc\"", "\"versionId\":\"2\"");
    assertThat(Fhir.toJson(qualified)).isEqualTo(expected);
    assertThat(Fhir.toJsonBytes(qualified)).isEqualTo(expected.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * HAPI's parse of the writer's output equalsDeep HAPI's parse of HAPI's output; with {@code
   * bytes}, the two are also identical; {@link Fhir#toJson} / {@link Fhir#toJsonBytes} are always
   * HAPI's bytes.
   */
  private void assertSameAsHapi(AuditEvent e, boolean bytes) {
    String expected = hapi.encodeResourceToString(e);
    String actual = fast.write(e);
    AuditEvent fromHapi = hapi.parseResource(AuditEvent.class, expected);
    AuditEvent fromFast = hapi.parseResource(AuditEvent.class, actual);
    assertThat(fromFast.equalsDeep(fromHapi))
        .as("HAPI's parse of\n%s\nequalsDeep HAPI's parse of\n%s", actual, expected)
        .isTrue();
    if (bytes) {
      assertThat(actual).isEqualTo(expected);
      assertThat(fast.writeBytes(e)).isEqualTo(expected.getBytes(StandardCharsets.UTF_8));
    }
    assertThat(Fhir.toJson(e)).isEqualTo(expected);
    assertThat(Fhir.toJsonBytes(e)).isEqualTo(expected.getBytes(StandardCharsets.UTF_8));
  }

  private static AuditEvent base() {
    AuditEvent e = new AuditEvent();
    e.setId("abc123");
    e.addCategory(new CodeableConcept().addCoding(new Coding(CodeSystems.DCM, "110112", "Query")));
    e.setCode(
        new CodeableConcept().addCoding(new Coding(CodeSystems.IHE_TRANSACTIONS, "ITI-47", "PDQ")));
    e.setAction(AuditEventAction.E);
    e.setRecordedElement(new InstantType("2025-04-18T09:04:01.123Z"));
    AuditEventAgentComponent agent = e.addAgent();
    agent.setWho(
        new Reference().setIdentifier(new Identifier().setValue("user")).setDisplay("User"));
    agent.setRequestor(true);
    e.getSource().setObserver(new Reference().setDisplay("node1"));
    return e;
  }
}
