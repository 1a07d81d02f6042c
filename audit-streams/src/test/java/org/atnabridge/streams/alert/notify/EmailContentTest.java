package org.atnabridge.streams.alert.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.atnabridge.schemas.alert.Alert;
import org.junit.jupiter.api.Test;

class EmailContentTest {

  private final Alert alert = Alerts.alert("alert-7", Duration.ZERO, "mail");

  @Test
  void defaults_nameRuleSeverityAndSummary_listPatientsByReferenceOnly() {
    EmailContent.Mail m = EmailContent.render(alert, null, null, false);

    assertThat(m.subject())
        .isEqualTo("[ATNA alert high] Break-glass access: jdoe used break-glass on Patient/p-42");
    assertThat(m.body())
        .contains("Rule:        break-glass (Break-glass access), match, severity high")
        .contains("Fired at:    " + alert.firedAt())
        .contains("AuditEvent/ev-1")
        .contains("Patient/p-42")
        .contains("http://hospital.example/users|jdoe (Dr. Jane Doe)")
        .doesNotContain("Mustermann");
  }

  @Test
  void patientNames_whenConfigured_areIn() {
    EmailContent.Mail m = EmailContent.render(alert, null, "${patients}", true);
    assertThat(m.body()).isEqualTo("Patient/p-42 (Maximilian Mustermann)");
  }

  @Test
  void crLfInAValue_cannotStartAHeaderOrLine() {
    Alert evil =
        new Alert(
            alert.id(),
            new Alert.RuleRef("r", "Title\r\nBcc: attacker@example.org", "match", "high", null),
            alert.group(),
            alert.firedAt(),
            alert.detectedAt(),
            null,
            null,
            false,
            1,
            List.of("AuditEvent/a\nForged line"),
            List.of(),
            List.of(),
            "sum\u2028mary",
            List.of("mail"),
            alert.auditEventId());

    EmailContent.Mail m = EmailContent.render(evil, "${rule.title} ${summary}", "${events}", false);

    assertThat(m.subject()).isEqualTo("Title  Bcc: attacker@example.org sum mary");
    assertThat(m.body()).isEqualTo("AuditEvent/a Forged line");
  }

  @Test
  void aValueHoldingAVariable_isNotSubstitutedAgain() {
    Alert tricky =
        new Alert(
            alert.id(),
            alert.rule(),
            alert.group(),
            alert.firedAt(),
            alert.detectedAt(),
            null,
            null,
            false,
            1,
            alert.events(),
            alert.agents(),
            alert.patients(),
            "${patients}",
            List.of("mail"),
            alert.auditEventId());

    assertThat(EmailContent.render(tricky, "${summary}", "${summary}", true).body())
        .isEqualTo("${patients}");
  }

  @Test
  void multiLineSubjectTemplate_isOneLine() {
    assertThat(EmailContent.render(alert, "${severity}\n${rule.id}\n", "", false).subject())
        .isEqualTo("high break-glass");
  }
}
