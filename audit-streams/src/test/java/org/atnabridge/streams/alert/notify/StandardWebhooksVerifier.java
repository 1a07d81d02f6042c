package org.atnabridge.streams.alert.notify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A receiver's verification of Standard Webhooks, written from the specification and sharing no
 * code with the signer: the signed content is {@code webhook-id "." webhook-timestamp "." body};
 * the key is the base64 after {@code whsec_}; {@code webhook-signature} is a space-delimited list
 * of {@code version,base64}; the message is accepted when any {@code v1} entry equals the
 * HMAC-SHA256 under any secret the receiver holds (constant-time comparison), and its timestamp is
 * within the tolerance of now (replay protection; 5 minutes as the specification suggests).
 */
final class StandardWebhooksVerifier {

  static final Duration TOLERANCE = Duration.ofMinutes(5);

  private final List<byte[]> keys = new ArrayList<>();

  StandardWebhooksVerifier(String... secrets) {
    for (String s : secrets) {
      if (!s.startsWith("whsec_")) {
        throw new IllegalArgumentException("secret without whsec_");
      }
      keys.add(Base64.getDecoder().decode(s.substring("whsec_".length())));
    }
  }

  /** Whether the message verifies at {@code now}. */
  boolean verify(String id, String timestamp, String signatureHeader, byte[] body, Instant now) {
    long ts;
    try {
      ts = Long.parseLong(timestamp);
    } catch (NumberFormatException e) {
      return false;
    }
    if (Math.abs(now.getEpochSecond() - ts) > TOLERANCE.toSeconds()) {
      return false;
    }
    byte[] signed = concat((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8), body);
    for (String entry : signatureHeader.split(" ")) {
      int comma = entry.indexOf(',');
      if (comma < 0 || !entry.substring(0, comma).equals("v1")) {
        continue;
      }
      byte[] given;
      try {
        given = Base64.getDecoder().decode(entry.substring(comma + 1));
      } catch (IllegalArgumentException e) {
        continue;
      }
      for (byte[] key : keys) {
        if (MessageDigest.isEqual(hmac(key, signed), given)) {
          return true;
        }
      }
    }
    return false;
  }

  private static byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
