package org.atnabridge.schemas.scrub;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Masks secret query values in what an intake is about to store ({@code accesslog.raw}, {@code
 * audit.dlq}), byte for byte otherwise: the bytes are read as ISO-8859-1, where every octet is one
 * character, so invalid UTF-8 and syslog headers pass through unchanged and only the values of the
 * listed parameters ({@link LineScrubber}) become {@value LineScrubber#MASK}. Thread-safe.
 */
public final class IntakeScrubber {

  /**
   * The query parameters whose values are secrets by default: OAuth bearer tokens (RFC 6750 §2.3),
   * authorization codes (RFC 6749 §4.1.2), passwords and API keys.
   */
  public static final Set<String> DEFAULT_SECRET_NAMES =
      Set.of("access_token", "code", "password", "api_key");

  private final Set<String> secretNames;

  /**
   * @param secretNames parameter names whose values are secrets (ASCII case insensitive); {@link
   *     #DEFAULT_SECRET_NAMES} unless configured
   */
  public IntakeScrubber(Set<String> secretNames) {
    this.secretNames = Set.copyOf(secretNames);
  }

  /** What is stored, and how many values were masked in it (for the intake's scrub counter). */
  public record Scrubbed(byte[] bytes, int masked) {}

  /** The input itself when nothing is secret in it, else a masked copy. */
  public Scrubbed scrub(byte[] raw) {
    LineScrubber.Scrubbed scrubbed =
        LineScrubber.scrubCounting(new String(raw, StandardCharsets.ISO_8859_1), secretNames);
    if (scrubbed.masked() == 0) {
      return new Scrubbed(raw, 0);
    }
    return new Scrubbed(scrubbed.line().getBytes(StandardCharsets.ISO_8859_1), scrubbed.masked());
  }

  public Set<String> secretNames() {
    return secretNames;
  }
}
