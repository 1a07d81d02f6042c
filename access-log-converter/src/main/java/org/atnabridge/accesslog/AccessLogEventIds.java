package org.atnabridge.accesslog;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The id of the AuditEvents made from one access log line: the first 40 lowercase hex digits of
 * SHA-256 over {@value #DOMAIN}, NUL, the source name, NUL, and the scrubbed line (without its line
 * end). The same line from the same source — a replay, a file posted twice, the same line by syslog
 * and by HTTP — is the same document; the same line from another source is another event. The
 * scrubbed line is hashed so that the id does not change when intake scrubs before storing.
 */
public final class AccessLogEventIds {

  static final String DOMAIN = "atna-bridge:access-log:v1";

  private AccessLogEventIds() {}

  public static String of(String sourceName, String scrubbedLine) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(DOMAIN.getBytes(StandardCharsets.US_ASCII));
      sha.update((byte) 0);
      sha.update(sourceName.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(scrubbedLine.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha.digest(), 0, 20);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is mandatory in every JDK", e);
    }
  }
}
