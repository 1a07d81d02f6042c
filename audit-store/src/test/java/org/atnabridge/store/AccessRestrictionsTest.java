package org.atnabridge.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.atnabridge.schemas.vocab.CodeSystems;
import org.junit.jupiter.api.Test;

/** The restrictions a reader's access adds: patient scope and label clearance. */
class AccessRestrictionsTest {

  @Test
  void patientClaim_identifierOrReference_andTheConfiguredSystem() {
    assertThat(AccessRestrictions.patientCriterion("urn:oid:1|p1", null).anyOf())
        .containsExactly(
            Criterion.ReferenceValue.identifier(new IdentifierToken("urn:oid:1", "p1")));
    assertThat(AccessRestrictions.patientCriterion("Patient/p1", null).anyOf())
        .containsExactly(Criterion.ReferenceValue.literal("Patient/p1"));
    assertThat(AccessRestrictions.patientCriterion("p1", "urn:oid:1").anyOf())
        .containsExactly(
            Criterion.ReferenceValue.literal("Patient/p1"),
            Criterion.ReferenceValue.identifier(new IdentifierToken("urn:oid:1", "p1")));
  }

  @Test
  void clearance_excludesWhatIsAbove_unknownCodesWidenNothing() {
    assertThat(AccessRestrictions.above(Set.of())).containsExactly("R", "V");
    assertThat(AccessRestrictions.above(Set.of("R"))).containsExactly("V");
    assertThat(AccessRestrictions.above(Set.of("V", "L"))).isEmpty();
    assertThat(AccessRestrictions.above(Set.of("SECRET")))
        .containsExactly("U", "L", "M", "N", "R", "V");
  }

  @Test
  void of_patientLevelWithoutPatientSeesNothing_elseThePatientAndTheClearance() {
    assertThat(AccessRestrictions.of(true, null, null, Set.of())).isNull();
    assertThat(AccessRestrictions.of(false, null, null, Set.of("V"))).isEmpty();
    List<Criterion> patient = AccessRestrictions.of(true, "p1", null, Set.of());
    assertThat(patient)
        .containsExactly(
            AccessRestrictions.patientCriterion("p1", null),
            new Criterion.Token(
                SearchField.SECURITY,
                List.of(
                    new IdentifierToken(CodeSystems.V3_CONFIDENTIALITY, "R"),
                    new IdentifierToken(CodeSystems.V3_CONFIDENTIALITY, "V")),
                true));
  }
}
