package org.atnabridge.streams.alert.rules;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.atnabridge.schemas.pem.PemFiles;
import org.yaml.snakeyaml.nodes.Node;

/**
 * One entry of {@code channels:}. Secrets and passwords are never part of an error or a warning:
 * only their position is named.
 */
final class ChannelReader {

  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  static final Duration DEFAULT_DEADLINE = Duration.ofHours(24);

  /** The SMTP server when an e-mail channel names none: a local relay, STARTTLS required. */
  static final Channel.Smtp DEFAULT_SMTP =
      new Channel.Smtp("localhost", 587, Channel.StartTls.REQUIRED, null, null);

  /** The sender when an e-mail channel names none. */
  static final String DEFAULT_FROM = "atna-bridge@localhost";

  private static final Pattern MAILBOX = Pattern.compile("[^@\\s<>]+@[^@\\s<>]+");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final String SECRET_PREFIX = "whsec_";

  private static final Set<String> WEBHOOK =
      Set.of("id", "type", "url", "secrets", "timeout", "deadline");
  private static final Set<String> EMAIL =
      Set.of("id", "type", "to", "from", "smtp", "subject", "body", "patient-names", "deadline");
  private static final Set<String> KAFKA = Set.of("id", "type");
  private static final Set<String> ALL =
      Stream.of(WEBHOOK, EMAIL, KAFKA).flatMap(Set::stream).collect(Collectors.toSet());
  private static final Set<String> SMTP =
      Set.of("host", "port", "starttls", "username", "password-env", "trust");

  private final YamlSource source;
  private final List<String> warnings;

  ChannelReader(YamlSource source, List<String> warnings) {
    this.source = source;
    this.warnings = warnings;
  }

  Channel read(Node node, int index) {
    String id = source.id(node, "channels[" + index + "]");
    YamlMap c = source.map(node, "channel " + id, ALL);
    String type = c.string("type");
    return switch (type) {
      case "webhook" -> {
        c.only(WEBHOOK, "is not used by a webhook channel");
        yield webhook(c, id);
      }
      case "email" -> {
        c.only(EMAIL, "is not used by an email channel");
        yield email(c, id);
      }
      case "kafka" -> {
        c.only(KAFKA, "is not used by a kafka channel");
        yield new Channel.Kafka(id);
      }
      default -> throw c.error("type", "'" + type + "' is not webhook, email or kafka");
    };
  }

  private Channel.Webhook webhook(YamlMap c, String id) {
    String url = c.string("url");
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw c.error("url", "not a URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if ((!scheme.equals("https") && !scheme.equals("http")) || uri.getHost() == null) {
      throw c.error("url", "not an http(s) URL with a host: " + url);
    }
    if (scheme.equals("http")) {
      warnings.add(
          source.file
              + ":"
              + YamlSource.line(c.required("url"))
              + ": channel "
              + id
              + ": url is http, alerts travel unencrypted; use https");
    }
    List<Node> secretNodes = source.sequence(c.required("secrets"), c.what() + ".secrets");
    if (secretNodes.isEmpty()) {
      throw c.error("secrets", "at least one secret (whsec_ followed by base64)");
    }
    List<String> secrets = new java.util.ArrayList<>();
    for (int i = 0; i < secretNodes.size(); i++) {
      Node n = secretNodes.get(i);
      String what = c.what() + ".secrets[" + i + "]";
      String secret = source.scalar(n, what).strip();
      if (!secret.startsWith(SECRET_PREFIX) || secret.length() == SECRET_PREFIX.length()) {
        throw source.error(n, what + ": not whsec_ followed by the secret in base64");
      }
      if (!isBase64(secret.substring(SECRET_PREFIX.length()))) {
        // Standard Webhooks' form; a placeholder from the documentation loads so that the file can
        // be checked before the secret is filled in, but it cannot sign
        warnings.add(
            source.file
                + ":"
                + YamlSource.line(n)
                + ": "
                + what
                + ": the part after whsec_ is not base64; no signature can be made with it");
      }
      secrets.add(secret);
    }
    Duration timeout = c.has("timeout") ? c.duration("timeout") : DEFAULT_TIMEOUT;
    Duration deadline = c.has("deadline") ? c.duration("deadline") : DEFAULT_DEADLINE;
    return new Channel.Webhook(id, uri, secrets, timeout, deadline);
  }

  private Channel.Email email(YamlMap c, String id) {
    List<String> to = c.strings("to");
    if (to.isEmpty()) {
      throw c.error("to", "at least one address");
    }
    for (String address : to) {
      mailbox(c, "to", address);
    }
    String from = c.has("from") ? mailbox(c, "from", c.string("from")) : DEFAULT_FROM;
    Channel.Smtp smtp =
        c.has("smtp")
            ? smtp(source.map(c.required("smtp"), c.what() + ".smtp", SMTP))
            : DEFAULT_SMTP;
    return new Channel.Email(
        id,
        to,
        from,
        smtp,
        c.optionalString("subject"),
        c.optionalString("body"),
        c.bool("patient-names", false),
        c.has("deadline") ? c.duration("deadline") : DEFAULT_DEADLINE);
  }

  private static String mailbox(YamlMap c, String key, String address) {
    if (!MAILBOX.matcher(address).matches()) {
      throw c.error(key, "'" + address + "' is not an e-mail address");
    }
    return address;
  }

  private static Channel.Smtp smtp(YamlMap s) {
    int port = s.has("port") ? s.positiveInt("port") : DEFAULT_SMTP.port();
    if (port > 65535) {
      throw s.error("port", port + " is not a port");
    }
    Channel.StartTls startTls = Channel.StartTls.REQUIRED;
    if (s.has("starttls")) {
      String v = s.string("starttls");
      startTls =
          switch (v) {
            case "required" -> Channel.StartTls.REQUIRED;
            case "none" -> Channel.StartTls.NONE;
            default -> throw s.error("starttls", "'" + v + "' is not required or none");
          };
    }
    String passwordEnv = s.optionalString("password-env");
    if (passwordEnv != null && !ENV_NAME.matcher(passwordEnv).matches()) {
      // the name of a variable, not the password: a value that is not a name may be a pasted
      // password, so it is not repeated
      throw s.error("password-env", "not the name of an environment variable");
    }
    Path trust = null;
    if (s.has("trust")) {
      if (startTls == Channel.StartTls.NONE) {
        throw s.error("trust", "given with starttls: none, where no certificate is checked");
      }
      trust = trust(s);
    }
    return new Channel.Smtp(
        s.string("host"), port, startTls, s.optionalString("username"), passwordEnv, trust);
  }

  /** The CA file is read at load so that a wrong path or a file that is not PEM stops start-up. */
  private static Path trust(YamlMap s) {
    String value = s.string("trust");
    Path file;
    try {
      file = Path.of(value);
    } catch (InvalidPathException e) {
      throw s.error("trust", "not a file path: " + e.getReason());
    }
    if (!Files.isReadable(file)) {
      throw s.error("trust", file + " is not a readable file or directory");
    }
    try {
      PemFiles.trustAnchors(file, "trust");
    } catch (IllegalArgumentException e) {
      throw s.error("trust", String.valueOf(e.getMessage()).replaceFirst("^trust: ", ""));
    }
    return file;
  }

  private static boolean isBase64(String s) {
    try {
      return Base64.getDecoder().decode(s).length > 0;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
