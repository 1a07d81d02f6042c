package org.atnabridge.streams.alert.rules;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A notification channel of the rules file ({@code channels:}); rules name it in {@code notify}.
 */
public sealed interface Channel {

  String id();

  /**
   * A JSON POST of the alert, signed as Standard Webhooks does.
   *
   * @param secrets {@code whsec_}-prefixed base64 secrets; the first signs, all are listed in
   *     {@code webhook-signature} during rotation. Never logged.
   * @param deadline how long delivery retries before the alert goes to {@code audit.alerts.dlq}
   */
  record Webhook(String id, URI url, List<String> secrets, Duration timeout, Duration deadline)
      implements Channel {
    public Webhook {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(url, "url");
      secrets = List.copyOf(secrets);
    }

    @Override
    public String toString() {
      return "Webhook[id=" + id + ", url=" + url + ", secrets=" + secrets.size() + "]";
    }
  }

  /**
   * An e-mail over SMTP with STARTTLS.
   *
   * @param subject a Commons Text {@code StringSubstitutor} template (values escaped), or null for
   *     the default
   * @param body as {@code subject}
   * @param patientNames whether patient names may appear in the mail (default false)
   */
  record Email(
      String id,
      List<String> to,
      String from,
      Smtp smtp,
      @Nullable String subject,
      @Nullable String body,
      boolean patientNames,
      Duration deadline)
      implements Channel {
    public Email {
      Objects.requireNonNull(id, "id");
      to = List.copyOf(to);
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(smtp, "smtp");
    }
  }

  /**
   * The SMTP server of an e-mail channel.
   *
   * @param startTls REQUIRED refuses a server without STARTTLS; NONE only for a local test relay
   * @param passwordEnv the name of the environment variable holding the password (never the
   *     password itself in the file), or null
   * @param trust a PEM file (or a directory of them) with the certificates that the server's
   *     certificate must chain to instead of the JVM's trust store (a private CA, a self-signed
   *     relay), or null for the JVM's trust store
   */
  record Smtp(
      String host,
      int port,
      StartTls startTls,
      @Nullable String username,
      @Nullable String passwordEnv,
      @Nullable Path trust) {

    /** A server whose certificate the JVM's trust store checks. */
    public Smtp(
        String host,
        int port,
        StartTls startTls,
        @Nullable String username,
        @Nullable String passwordEnv) {
      this(host, port, startTls, username, passwordEnv, null);
    }
  }

  /** Whether the SMTP session must be upgraded with STARTTLS. */
  enum StartTls {
    REQUIRED,
    NONE
  }

  /** The {@code audit.alerts} topic itself: every alert is there; nothing more to deliver. */
  record Kafka(String id) implements Channel {}
}
