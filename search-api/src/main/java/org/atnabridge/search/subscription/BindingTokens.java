package org.atnabridge.search.subscription;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.atnabridge.schemas.vocab.Extensions;
import org.hl7.fhir.r5.model.StringType;
import org.hl7.fhir.r5.model.Subscription;

/**
 * The tokens of {@code $get-ws-binding-token}: {@code wsb1.<subscription id>.<expiry, epoch
 * seconds>.<HMAC-SHA256>}, signed with a random key of that subscription only. The key is stored
 * with the websocket subscription in {@code audit.subscriptions} (like its creator's access, never
 * shown to a client), so every API node checks a token whichever issued it; a token binds the
 * subscription it names and no other (another's key does not verify it), and deleting the
 * subscription voids its tokens. Tokens are never logged.
 */
public final class BindingTokens {

  /** The extension holding a websocket subscription's token key (base64url, 32 bytes). */
  static final String KEY_EXTENSION = Extensions.WS_BINDING_KEY;

  private static final String VERSION = "wsb1";
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9\\-]{1,64}");
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A token and when it stops binding. */
  public record Token(String value, Instant expires) {
    @Override
    public String toString() {
      return "Token[expires=" + expires + "]"; // never the value
    }
  }

  /** A token's subscription id once signature and expiry held, or why it was refused. */
  public record Checked(Optional<String> subscriptionId, String refusal) {
    static Checked ok(String id) {
      return new Checked(Optional.of(id), "");
    }

    static Checked refused(String why) {
      return new Checked(Optional.empty(), why);
    }
  }

  private final Duration ttl;
  private final Clock clock;

  public BindingTokens(Duration ttl, Clock clock) {
    this.ttl = ttl;
    this.clock = clock;
  }

  /** Gives {@code s} (to be stored) a token key of its own, unless it has one. */
  static void addKey(Subscription s) {
    if (s.getExtensionByUrl(KEY_EXTENSION) == null) {
      byte[] key = new byte[32];
      RANDOM.nextBytes(key);
      s.addExtension(
          KEY_EXTENSION,
          new StringType(Base64.getUrlEncoder().withoutPadding().encodeToString(key)));
    }
  }

  /** {@code s} without its token key, as a client sees it. */
  static Subscription stripKey(Subscription s) {
    s.getExtension().removeIf(e -> KEY_EXTENSION.equals(e.getUrl()));
    return s;
  }

  /** A token binding {@code stored} (with its key) until now + the TTL. */
  public Token issue(Subscription stored) {
    byte[] key = key(stored).orElseThrow(() -> new IllegalStateException("no token key"));
    Instant expires = clock.instant().plus(ttl);
    String payload = VERSION + "." + stored.getIdPart() + "." + expires.getEpochSecond();
    return new Token(
        payload + "." + sign(key, payload), Instant.ofEpochSecond(expires.getEpochSecond()));
  }

  /** The subscription id {@code token} names, when it is well formed (not yet verified). */
  static Optional<String> subscriptionId(String token) {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 4 || !VERSION.equals(parts[0]) || !ID.matcher(parts[1]).matches()) {
      return Optional.empty();
    }
    return Optional.of(parts[1]);
  }

  /**
   * Checks {@code token} against {@code stored}, the subscription it names as this node holds it
   * (with its key).
   */
  public Checked check(String token, Subscription stored) {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 4 || !VERSION.equals(parts[0]) || !parts[1].equals(stored.getIdPart())) {
      return Checked.refused("malformed token");
    }
    long expires;
    try {
      expires = Long.parseLong(parts[2]);
    } catch (NumberFormatException e) {
      return Checked.refused("malformed token");
    }
    Optional<byte[]> key = key(stored);
    if (key.isEmpty()) {
      return Checked.refused("not a websocket subscription");
    }
    String payload = parts[0] + "." + parts[1] + "." + parts[2];
    byte[] expected = sign(key.get(), payload).getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expected, parts[3].getBytes(StandardCharsets.US_ASCII))) {
      return Checked.refused("invalid token");
    }
    if (!clock.instant().isBefore(Instant.ofEpochSecond(expires))) {
      return Checked.refused("expired token");
    }
    return Checked.ok(parts[1]);
  }

  private static Optional<byte[]> key(Subscription s) {
    var e = s.getExtensionByUrl(KEY_EXTENSION);
    if (e == null || !(e.getValue() instanceof StringType v) || v.getValue() == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Base64.getUrlDecoder().decode(v.getValue()));
    } catch (IllegalArgumentException ex) {
      return Optional.empty();
    }
  }

  private static String sign(byte[] key, String payload) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
