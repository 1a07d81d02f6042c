package org.atnabridge.streams.alert.notify;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.StringJoiner;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code webhook-signature} header of Standard Webhooks: for each secret {@code v1,} and the
 * base64 HMAC-SHA256, keyed with the base64-decoded secret (after its {@code whsec_} prefix), of
 * {@code msg_id + "." + timestamp + "." + body}; several signatures are separated by spaces, so a
 * receiver that knows any one of the secrets (rotation) accepts. The first listed secret is the
 * primary and signs first. Holds the keys only: never logs or prints them.
 */
public final class WebhookSignature {

  /** The prefix Standard Webhooks gives secrets. */
  public static final String SECRET_PREFIX = "whsec_";

  private static final String ALGORITHM = "HmacSHA256";

  private final List<SecretKeySpec> keys;

  private WebhookSignature(List<SecretKeySpec> keys) {
    this.keys = keys;
  }

  /**
   * @param secrets {@code whsec_<base64>} (the prefix is optional), at least one
   * @throws IllegalArgumentException when there is none or one is not base64; the message never
   *     holds the secret
   */
  public static WebhookSignature of(List<String> secrets) {
    if (secrets.isEmpty()) {
      throw new IllegalArgumentException("a webhook needs at least one secret");
    }
    return new WebhookSignature(
        secrets.stream().map(s -> new SecretKeySpec(key(s), ALGORITHM)).toList());
  }

  private static byte[] key(String secret) {
    String b64 =
        secret.startsWith(SECRET_PREFIX) ? secret.substring(SECRET_PREFIX.length()) : secret;
    byte[] key;
    try {
      key = Base64.getDecoder().decode(b64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("a webhook secret is not base64 after whsec_");
    }
    if (key.length == 0) {
      throw new IllegalArgumentException("a webhook secret is empty");
    }
    return key;
  }

  /** The header value: {@code v1,<sig>} per secret, space-separated, primary first. */
  public String sign(String messageId, long timestamp, byte[] body) {
    byte[] prefix = (messageId + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
    StringJoiner header = new StringJoiner(" ");
    for (SecretKeySpec key : keys) {
      Mac mac = mac(key);
      mac.update(prefix);
      mac.update(body);
      header.add("v1," + Base64.getEncoder().encodeToString(mac.doFinal()));
    }
    return header.toString();
  }

  private static Mac mac(SecretKeySpec key) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac;
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  @Override
  public String toString() {
    return "WebhookSignature[" + keys.size() + " secrets]";
  }
}
