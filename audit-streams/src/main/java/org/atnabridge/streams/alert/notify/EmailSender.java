package org.atnabridge.streams.alert.notify;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Date;
import java.util.Properties;
import java.util.function.Function;
import org.atnabridge.schemas.alert.Alert;
import org.atnabridge.streams.alert.rules.Channel;
import org.jspecify.annotations.Nullable;

/**
 * Sends an alert as a plain-text e-mail over SMTP (Jakarta Mail). With {@code startTls: REQUIRED}
 * the session is upgraded with STARTTLS (RFC 3207) and a server that does not offer it is refused
 * ({@code mail.smtp.starttls.required}), the server's certificate and host name checked; {@code
 * NONE} sends in the clear (a local relay only). The server's certificate must chain to the
 * channel's {@code smtp.trust} certificates when given, else to the JVM's trust store. The password
 * is read from the environment variable the channel names, at each attempt; it is never logged.
 *
 * <p>Every failure is retried until the channel's deadline: an SMTP server that is down, refuses
 * STARTTLS or a missing password variable can all be fixed by the operator (a restart keeps the
 * deadline).
 */
public final class EmailSender {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final Function<String, @Nullable String> environment;

  /**
   * @param environment looks up an environment variable ({@code System::getenv})
   */
  public EmailSender(Function<String, @Nullable String> environment) {
    this.environment = environment;
  }

  public DeliveryOutcome send(Channel.Email channel, Alert alert) {
    Channel.Smtp smtp = channel.smtp();
    String password = null;
    if (smtp.username() != null) {
      if (smtp.passwordEnv() == null) {
        return new DeliveryOutcome.Retry("smtp.username without smtp.passwordEnv");
      }
      password = environment.apply(smtp.passwordEnv());
      if (password == null) {
        return new DeliveryOutcome.Retry(
            "environment variable " + smtp.passwordEnv() + " is not set");
      }
    }
    EmailContent.Mail mail =
        EmailContent.render(alert, channel.subject(), channel.body(), channel.patientNames());
    Properties properties = properties(smtp);
    if (smtp.startTls() == Channel.StartTls.REQUIRED && smtp.trust() != null) {
      try {
        // Angus Mail takes the factory object for the STARTTLS upgrade as well
        properties.put("mail.smtp.ssl.socketFactory", SmtpTrust.socketFactory(smtp.trust()));
      } catch (IllegalArgumentException | GeneralSecurityException e) {
        return new DeliveryOutcome.Retry("smtp.trust: " + e.getMessage());
      }
    }
    Session session = Session.getInstance(properties);
    try {
      MimeMessage message = new MimeMessage(session);
      message.setFrom(new InternetAddress(channel.from(), true));
      for (String to : channel.to()) {
        message.addRecipient(Message.RecipientType.TO, new InternetAddress(to, true));
      }
      message.setSubject(mail.subject(), "UTF-8");
      message.setText(mail.body(), "UTF-8");
      setSentNow(message);
      message.setHeader("X-ATNA-Alert-Id", EmailContent.oneLine(alert.id()));
      if (password == null) {
        Transport.send(message);
      } else {
        Transport.send(message, smtp.username(), password);
      }
      return DeliveryOutcome.DELIVERED;
    } catch (AddressException e) {
      return new DeliveryOutcome.Rejected("BAD_ADDRESS", "an address of the channel is invalid");
    } catch (MessagingException e) {
      return new DeliveryOutcome.Retry(reason(e));
    }
  }

  /** The exception and its root cause: "Could not convert socket to TLS" alone does not say why. */
  private static String reason(MessagingException e) {
    String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == e
        ? reason
        : reason + " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
  }

  @SuppressWarnings("JavaUtilDate") // the Jakarta Mail API takes a Date
  private static void setSentNow(MimeMessage message) throws MessagingException {
    message.setSentDate(new Date());
  }

  private static Properties properties(Channel.Smtp smtp) {
    Properties p = new Properties();
    p.put("mail.transport.protocol", "smtp");
    p.put("mail.smtp.host", smtp.host());
    p.put("mail.smtp.port", Integer.toString(smtp.port()));
    p.put("mail.smtp.auth", Boolean.toString(smtp.username() != null));
    String millis = Long.toString(TIMEOUT.toMillis());
    p.put("mail.smtp.connectiontimeout", millis);
    p.put("mail.smtp.timeout", millis);
    p.put("mail.smtp.writetimeout", millis);
    if (smtp.startTls() == Channel.StartTls.REQUIRED) {
      p.put("mail.smtp.starttls.enable", "true");
      p.put("mail.smtp.starttls.required", "true");
      p.put("mail.smtp.ssl.checkserveridentity", "true");
      p.put("mail.smtp.ssl.protocols", "TLSv1.3 TLSv1.2");
    }
    return p;
  }
}
