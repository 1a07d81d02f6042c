package org.atnabridge.search.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class SmartScopesTest {

  @Test
  void v2Letters_grantExactlyTheirInteractions() {
    SmartScopes s = SmartScopes.parse("openid system/AuditEvent.rs");
    assertThat(s.level("AuditEvent", "rs")).isEqualTo(SmartScopes.Level.ALL);
    assertThat(s.level("AuditEvent", "c")).isEqualTo(SmartScopes.Level.NONE);
    assertThat(s.level("Subscription", "r")).isEqualTo(SmartScopes.Level.NONE);
  }

  @Test
  void v1Forms_mapToV2Letters() {
    assertThat(SmartScopes.parse("user/AuditEvent.read").level("AuditEvent", "rs"))
        .isEqualTo(SmartScopes.Level.ALL);
    assertThat(SmartScopes.parse("user/AuditEvent.read").level("AuditEvent", "c"))
        .isEqualTo(SmartScopes.Level.NONE);
    assertThat(SmartScopes.parse("system/AuditEvent.write").level("AuditEvent", "c"))
        .isEqualTo(SmartScopes.Level.ALL);
    assertThat(SmartScopes.parse("user/*.*").level("Subscription", "cruds"))
        .isEqualTo(SmartScopes.Level.ALL);
  }

  @Test
  void patientContext_isPatientLevel_unlessAnotherContextGrantsAll() {
    assertThat(SmartScopes.parse("patient/AuditEvent.rs").level("AuditEvent", "rs"))
        .isEqualTo(SmartScopes.Level.PATIENT);
    assertThat(
            SmartScopes.parse("patient/AuditEvent.rs user/AuditEvent.rs").level("AuditEvent", "s"))
        .isEqualTo(SmartScopes.Level.ALL);
  }

  @Test
  void lettersOutOfOrder_constraints_andUnknownForms_grantNothing() {
    for (String scope :
        new String[] {
          "system/AuditEvent.sr",
          "system/AuditEvent.rs?category=x",
          "system/AuditEvent.",
          "admin/AuditEvent.rs",
          "system/AuditEvent.rsx",
          "AuditEvent.rs"
        }) {
      assertThat(SmartScopes.parse(scope).level("AuditEvent", "r"))
          .as(scope)
          .isEqualTo(SmartScopes.Level.NONE);
    }
  }

  @Test
  void firstInvalid_namesEveryScopeThatGrantsNothing_theOthersAreValid() {
    for (String scope :
        new String[] {
          "system/AuditEvent.sr",
          "system/AuditEvent.rs?category=x",
          "system/AuditEvent.",
          "admin/AuditEvent.rs",
          "system/AuditEvent.rsx",
          "AuditEvent.rs",
          "bogus"
        }) {
      assertThat(SmartScopes.firstInvalid("openid " + scope))
          .as(scope)
          .hasValueSatisfying(
              why -> assertThat(why).startsWith(scope.contains("?") ? scope : scope + ":"));
    }
    assertThat(SmartScopes.firstInvalid("  ")).hasValue("no scope given");
    for (String scope :
        new String[] {
          "system/AuditEvent.rs",
          "user/*.read",
          "patient/AuditEvent.s launch/patient",
          "openid fhirUser offline_access system/Subscription.cruds"
        }) {
      assertThat(SmartScopes.firstInvalid(scope)).as(scope).isEmpty();
    }
  }

  @Test
  void clearance_hidesCodesAboveTheHighestGranted_defaultN() {
    assertThat(Clearance.above(Set.of())).containsExactly("R", "V");
    assertThat(Clearance.above(Set.of("R"))).containsExactly("V");
    assertThat(Clearance.above(Clearance.parse("v, r"))).isEmpty();
    assertThatThrownBy(() -> Clearance.parse("R,SECRET")).hasMessageContaining("SECRET");
  }
}
