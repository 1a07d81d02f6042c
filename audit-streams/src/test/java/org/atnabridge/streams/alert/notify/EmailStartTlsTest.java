package org.atnabridge.streams.alert.notify;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.atnabridge.schemas.alert.Alert;
import org.atnabridge.schemas.pem.PemFiles;
import org.atnabridge.streams.alert.rules.Channel;
import org.atnabridge.testing.TestPki;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.auth.EasyAuthenticationHandlerFactory;
import org.subethamail.smtp.auth.LoginFailedException;
import org.subethamail.smtp.server.SMTPServer;

/**
 * Sends over STARTTLS (RFC 3207) to SubEthaSMTP, a real SMTP server in-process that offers the
 * upgrade, requires it before any mail or login, and presents a certificate of a throw-away CA. The
 * channel trusts that CA through {@code smtp.trust}; a server certificate from another CA, or one
 * only the JVM's trust store would have to vouch for, is refused before anything is sent.
 */
class EmailStartTlsTest {

  @TempDir static Path pkiDir;
  private static TestPki pki;

  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Alert alert = Alerts.alert("alert-tls", Duration.ZERO, "privacy");
  private final EmailSender sender = new EmailSender(Map.of("SMTP_PASSWORD", "s3cret-pw")::get);
  private SMTPServer server;

  /** One mail as the server saw it, with the TLS state of its session at DATA. */
  private record Received(boolean tlsStarted, String protocol, MimeMessage message) {}

  @BeforeAll
  static void pki() {
    pki = TestPki.create(pkiDir);
  }

  @BeforeEach
  void start() throws Exception {
    server =
        SMTPServer.port(0)
            .bindAddress(java.net.InetAddress.getLoopbackAddress())
            .hostName("localhost")
            .startTlsSocketFactory(serverContext())
            .requireTLS()
            .requireAuth()
            .authenticationHandlerFactory(
                new EasyAuthenticationHandlerFactory(EmailStartTlsTest::login))
            .messageHandlerFactory(this::handler)
            .build();
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop();
  }

  private static void login(String username, String password, MessageContext context)
      throws LoginFailedException {
    if (!username.equals("alerts") || !password.equals("s3cret-pw")) {
      throw new LoginFailedException();
    }
  }

  @Test
  void startTlsRequired_serverCertificateFromTheTrustedCa_deliveredOverTls() throws Exception {
    DeliveryOutcome outcome = sender.send(channel(pki.ca()), alert);

    assertThat(outcome).isInstanceOf(DeliveryOutcome.Delivered.class);
    assertThat(received).hasSize(1);
    Received mail = received.get(0);
    assertThat(mail.tlsStarted()).as("the server's session was upgraded with STARTTLS").isTrue();
    assertThat(mail.protocol()).isIn("TLSv1.3", "TLSv1.2");
    assertThat(mail.message().getSubject()).isEqualTo("Break-glass access (high)");
    assertThat(mail.message().getHeader("X-ATNA-Alert-Id")).containsExactly("alert-tls");
  }

  @Test
  void serverCertificateFromAnotherCa_refused_nothingSent() {
    DeliveryOutcome outcome = sender.send(channel(pki.dir().resolve("rogue-ca.pem")), alert);

    assertThat(outcome)
        .isInstanceOfSatisfying(
            DeliveryOutcome.Retry.class, r -> assertThat(r.reason()).doesNotContain("s3cret-pw"));
    assertThat(received).isEmpty();
  }

  @Test
  void noTrustGiven_theJvmTrustStoreDoesNotKnowTheCa_refused_nothingSent() {
    DeliveryOutcome outcome = sender.send(channel(null), alert);

    assertThat(outcome)
        .isInstanceOfSatisfying(
            DeliveryOutcome.Retry.class,
            r -> assertThat(r.reason()).contains("unable to find valid certification path"));
    assertThat(received).isEmpty();
  }

  @Test
  void trustFileGone_retried_nothingSent() {
    DeliveryOutcome outcome = sender.send(channel(pki.dir().resolve("gone.pem")), alert);

    assertThat(outcome)
        .isInstanceOfSatisfying(
            DeliveryOutcome.Retry.class, r -> assertThat(r.reason()).startsWith("smtp.trust: "));
    assertThat(received).isEmpty();
  }

  private MessageHandler handler(MessageContext context) {
    return new MessageHandler() {
      @Override
      public void from(String from) {}

      @Override
      public void recipient(String recipient) {}

      @Override
      public @Nullable String data(InputStream data) throws java.io.IOException {
        org.subethamail.smtp.server.Session session = (org.subethamail.smtp.server.Session) context;
        String protocol =
            session.getSocket() instanceof SSLSocket ssl ? ssl.getSession().getProtocol() : "none";
        try {
          MimeMessage message = new MimeMessage(Session.getInstance(new Properties()), data);
          received.add(new Received(session.isTLSStarted(), protocol, message));
        } catch (jakarta.mail.MessagingException e) {
          throw new java.io.IOException(e);
        }
        return null;
      }

      @Override
      public void done() {}
    };
  }

  private static SSLContext serverContext() throws Exception {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    List<java.security.cert.X509Certificate> chain =
        PemFiles.certificates(pki.serverCert(), "server");
    char[] none = new char[0];
    keys.setKeyEntry(
        "server",
        PemFiles.privateKey(pki.serverKey(), "server"),
        none,
        chain.toArray(new Certificate[0]));
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, none);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), null, null);
    return context;
  }

  private Channel.Email channel(@Nullable Path trust) {
    return new Channel.Email(
        "privacy",
        List.of("privacy@hospital.example"),
        "atna-bridge@hospital.example",
        new Channel.Smtp(
            "localhost",
            server.getPortAllocated(),
            Channel.StartTls.REQUIRED,
            "alerts",
            "SMTP_PASSWORD",
            trust),
        "${rule.title} (${severity})",
        null,
        false,
        Duration.ofHours(24));
  }
}
