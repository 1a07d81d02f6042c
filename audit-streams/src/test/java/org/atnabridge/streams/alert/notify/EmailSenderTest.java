package org.atnabridge.streams.alert.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.atnabridge.schemas.alert.Alert;
import org.atnabridge.streams.alert.rules.Channel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Sends to GreenMail, a real SMTP server in-process. GreenMail does not offer STARTTLS, so the
 * encrypted path is shown as a refusal: with {@code startTls: REQUIRED} nothing is sent to a server
 * that does not offer it; delivery itself is shown with {@code startTls: NONE}.
 */
class EmailSenderTest {

  @RegisterExtension
  static final GreenMailExtension SMTP =
      new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
          .withConfiguration(GreenMailConfiguration.aConfig().withUser("alerts", "s3cret-pw"))
          .withPerMethodLifecycle(true);

  private final Alert alert = Alerts.alert("alert-9", Duration.ZERO, "privacy");
  private final EmailSender sender =
      new EmailSender(Map.of("SMTP_PASSWORD", "s3cret-pw", "WRONG", "nope")::get);

  private static Channel.Email channel(
      Channel.StartTls startTls, String passwordEnv, String subject, boolean patientNames) {
    return new Channel.Email(
        "privacy",
        List.of("privacy@hospital.example", "soc@hospital.example"),
        "atna-bridge@hospital.example",
        new Channel.Smtp("127.0.0.1", SMTP.getSmtp().getPort(), startTls, "alerts", passwordEnv),
        subject,
        null,
        patientNames,
        Duration.ofHours(24));
  }

  @Test
  void delivered_withTemplateSubjectAndDefaultBody_withoutPatientNames() throws Exception {
    DeliveryOutcome outcome =
        sender.send(
            channel(Channel.StartTls.NONE, "SMTP_PASSWORD", "${rule.title} (${severity})", false),
            alert);

    assertThat(outcome).isInstanceOf(DeliveryOutcome.Delivered.class);
    MimeMessage[] got = SMTP.getReceivedMessages();
    assertThat(got).hasSize(2); // one per recipient mailbox
    MimeMessage m = got[0];
    assertThat(m.getSubject()).isEqualTo("Break-glass access (high)");
    assertThat(m.getFrom()[0].toString()).isEqualTo("atna-bridge@hospital.example");
    assertThat(m.getRecipients(Message.RecipientType.TO))
        .extracting(Object::toString)
        .containsExactly("privacy@hospital.example", "soc@hospital.example");
    assertThat(m.getContentType()).startsWith("text/plain");
    String body = ((String) m.getContent()).replace("\r\n", "\n");
    assertThat(body)
        .contains("jdoe used break-glass on Patient/p-42")
        .contains("Patient/p-42")
        .contains("AuditEvent/ev-1")
        .doesNotContain("Mustermann");
  }

  @Test
  void patientNames_configured_inTheMail() throws Exception {
    sender.send(channel(Channel.StartTls.NONE, "SMTP_PASSWORD", null, true), alert);

    assertThat((String) SMTP.getReceivedMessages()[0].getContent())
        .contains("Patient/p-42 (Maximilian Mustermann)");
  }

  @Test
  void crLfInASubjectValue_arrivesEscapedOnOneHeaderLine() throws Exception {
    Alert evil =
        new Alert(
            alert.id(),
            new Alert.RuleRef("r", "Title\r\nBcc: attacker@example.org", "match", "high", null),
            null,
            alert.firedAt(),
            alert.detectedAt(),
            null,
            null,
            false,
            1,
            alert.events(),
            alert.agents(),
            alert.patients(),
            "s",
            List.of("privacy"),
            alert.auditEventId());

    sender.send(channel(Channel.StartTls.NONE, "SMTP_PASSWORD", "${rule.title}", false), evil);

    MimeMessage[] got = SMTP.getReceivedMessages();
    assertThat(got).hasSize(2);
    assertThat(got[0].getSubject()).isEqualTo("Title  Bcc: attacker@example.org");
    assertThat(got[0].getHeader("Bcc")).isNull();
    assertThat(SMTP.getReceivedMessagesForDomain("example.org")).isEmpty();
  }

  @Test
  void startTlsRequired_serverWithoutStartTls_refused_nothingSent() {
    DeliveryOutcome outcome =
        sender.send(channel(Channel.StartTls.REQUIRED, "SMTP_PASSWORD", null, false), alert);

    assertThat(outcome)
        .isInstanceOfSatisfying(
            DeliveryOutcome.Retry.class,
            r -> assertThat(r.reason()).containsIgnoringCase("STARTTLS"));
    assertThat(SMTP.getReceivedMessages()).isEmpty();
  }

  @Test
  void passwordFromTheNamedVariable_wrongOrMissing_isRetried_andNeverShown() {
    DeliveryOutcome wrong =
        sender.send(channel(Channel.StartTls.NONE, "WRONG", null, false), alert);
    DeliveryOutcome missing =
        sender.send(channel(Channel.StartTls.NONE, "NOT_SET", null, false), alert);

    assertThat(wrong).isInstanceOf(DeliveryOutcome.Retry.class);
    assertThat(((DeliveryOutcome.Retry) wrong).reason()).doesNotContain("nope");
    assertThat(missing)
        .isEqualTo(new DeliveryOutcome.Retry("environment variable NOT_SET is not set"));
    assertThat(SMTP.getReceivedMessages()).isEmpty();
  }
}
