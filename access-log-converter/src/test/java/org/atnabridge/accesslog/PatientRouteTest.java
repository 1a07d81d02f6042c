package org.atnabridge.accesslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.atnabridge.accesslog.Lines.combined;
import static org.atnabridge.accesslog.Lines.event;
import static org.atnabridge.accesslog.Lines.events;

import java.util.List;
import org.atnabridge.schemas.vocab.Extensions;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.StringType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every patient route sets AuditEvent.patient and a patient entity (role 1). */
class PatientRouteTest {

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "GET,    /Patient/p1,                                 Patient/p1",
    "PUT,    /Patient/p1,                                 Patient/p1",
    "GET,    /Patient/p1/_history/4,                      Patient/p1",
    "GET,    /Patient/p1/Observation,                     Patient/p1",
    "GET,    /Observation?patient=p2,                     Patient/p2",
    "GET,    /Observation?patient=Patient/p2,             Patient/p2",
    "GET,    /Observation?patient=https://x.org/fhir/Patient/p2, Patient/p2",
    "GET,    /Observation?subject=Patient/p3,             Patient/p3",
    "GET,    /Observation?subject:Patient=p4,             Patient/p4",
    "GET,    /Observation?subject=Patient%2Fp5&code=x,    Patient/p5",
    "GET,    /Patient?_id=p6,                             Patient/p6",
    "POST,   /Patient/p1/$everything,                     Patient/p1",
  })
  void patientFromPathOrParameter(String method, String target, String reference) {
    AuditEvent e = event(combined(method, target, 200));
    assertThat(e.getPatient().getReference()).isEqualTo(reference);
    assertThat(e.getEntity())
        .filteredOn(en -> en.getRole().getCodingFirstRep().getCode().equals("1"))
        .singleElement()
        .satisfies(en -> assertThat(en.getWhat().getReference()).isEqualTo(reference));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "/Observation?subject=Group/g1",
    "/Observation?code=1234-5",
    "/Encounter/e1/Observation",
    "/Observation?_id=o1",
  })
  void noPatient_whenNoneIsNamed(String target) {
    AuditEvent e = event(combined("GET", target, 200));
    assertThat(e.hasPatient()).isFalse();
    assertThat(e.getEntity())
        .noneMatch(en -> en.getRole().getCodingFirstRep().getCode().equals("1"));
  }

  @Test
  void chainedIdentifier_isAPatientByIdentifier() {
    AuditEvent e =
        event(combined("GET", "/Observation?patient.identifier=urn:oid:1.2.3%7CMRN-77", 200));
    assertThat(e.getPatient().getType()).isEqualTo("Patient");
    assertThat(e.getPatient().getIdentifier().getSystem()).isEqualTo("urn:oid:1.2.3");
    assertThat(e.getPatient().getIdentifier().getValue()).isEqualTo("MRN-77");
  }

  @Test
  void patientSearchByIdentifier_isAPatientByIdentifier() {
    AuditEvent e = event(combined("GET", "/Patient?identifier=urn:oid:1.2.3%7CMRN-1", 200));
    assertThat(e.getPatient().getIdentifier().getValue()).isEqualTo("MRN-1");
  }

  @Test
  void severalPatients_oneEventEach_sharingACorrelationId() {
    List<AuditEvent> es =
        events(combined("GET", "/Observation?patient=a,b&subject=Patient/c", 200));
    assertThat(es)
        .extracting(e -> e.getPatient().getReference())
        .containsExactly("Patient/a", "Patient/b", "Patient/c");
    String base = correlation(es.get(0));
    assertThat(es)
        .extracting(AuditEvent::getIdPart)
        .containsExactly(base + "-1", base + "-2", base + "-3");
    assertThat(es).extracting(PatientRouteTest::correlation).containsOnly(base);
    assertThat(es)
        .allSatisfy(
            e -> assertThat(e.getCode().getCodingFirstRep().getCode()).isEqualTo("search-type"));
  }

  @Test
  void onePatient_idIsTheCorrelationId() {
    AuditEvent e = event(combined("GET", "/Patient/p1", 200));
    assertThat(e.getIdPart()).isEqualTo(correlation(e)).hasSize(40);
  }

  static String correlation(AuditEvent e) {
    return ((StringType) e.getExtensionByUrl(Extensions.CORRELATION_ID).getValue()).getValue();
  }
}
