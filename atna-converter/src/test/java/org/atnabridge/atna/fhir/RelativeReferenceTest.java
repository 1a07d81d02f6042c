package org.atnabridge.atna.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RelativeReferenceTest {

  @Test
  void of_relativeLiteralReferenceIsKept() {
    assertThat(RelativeReference.of("Patient/IHERED-2340", "Patient"))
        .isEqualTo("Patient/IHERED-2340");
    assertThat(RelativeReference.of("Patient/a.B-9", "Patient")).isEqualTo("Patient/a.B-9");
    assertThat(RelativeReference.of("Patient/" + "x".repeat(64), "Patient")).isNotNull();
  }

  @Test
  void of_anyR5TypeWhenTheEntityHasNoType() {
    assertThat(RelativeReference.of("DocumentReference/doc-1", null))
        .isEqualTo("DocumentReference/doc-1");
    assertThat(RelativeReference.of("List/1", null)).isEqualTo("List/1");
  }

  @Test
  void of_typeMustBeTheEntitysType() {
    assertThat(RelativeReference.of("Practitioner/7", "Patient")).isNull();
    assertThat(RelativeReference.of("Patient/7", "Practitioner")).isNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Foo/1", // not an R5 resource type
        "patient/1", // type names are case-sensitive
        "Resource/1", // abstract, not a resource type
        "Custom/1", // HAPI's placeholder, not an R5 type
        "Patient/", // empty id
        "Patient/a_b", // '_' is not an id character
        "Patient/a b",
        "Patient/a/b",
        "Patient/1/_history/2", // versioned: HAPI's encoder would drop the version
        "Patient/1/_history/",
        " Patient/1",
        "http://example.org/fhir/Patient/1", // absolute URL
        "/app-gateway/fhir/Patient/1",
        "1^^^&1.2.3&ISO", // HL7 v2 CX
        "urn:oid:1.2.3|1", // FHIR token
        "IHERED-2340", // plain id
        ""
      })
  void of_nearMissesStayIdentifiers(String id) {
    assertThat(RelativeReference.of(id, null)).isNull();
    assertThat(RelativeReference.of(id, "Patient")).isNull();
  }

  @Test
  void of_idLongerThan64IsNotAnId() {
    assertThat(RelativeReference.of("Patient/" + "x".repeat(65), "Patient")).isNull();
  }

  @Test
  void resourceTypes_areHapisR5ResourceTypes() {
    assertThat(RelativeReference.resourceTypes())
        .containsExactlyInAnyOrderElementsOf(FhirContext.forR5Cached().getResourceTypes());
  }
}
