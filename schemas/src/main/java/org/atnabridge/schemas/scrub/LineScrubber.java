package org.atnabridge.schemas.scrub;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Masks secret query parameter values anywhere in a whole line (the request target, the Referer, a
 * JSON field): every {@code ?name=value} / {@code &name=value} of a listed name (ASCII case
 * insensitive). What intake stores ({@code accesslog.raw}, {@code audit.dlq}) and what the
 * converter reads are scrubbed lines; the access log converter's {@code QueryScrubber} then also
 * catches percent-encoded names in the target. Thread-safe.
 */
public final class LineScrubber {

  /** What a secret value becomes. */
  public static final String MASK = "REDACTED";

  private static final ConcurrentHashMap<Set<String>, Pattern> PATTERNS = new ConcurrentHashMap<>();

  private LineScrubber() {}

  /**
   * A scrubbed line and how many values were masked in it (values already {@value #MASK} are not
   * counted again).
   */
  public record Scrubbed(String line, int masked) {}

  /** The line with every secret value replaced by {@value #MASK}. */
  public static String scrub(String line, Set<String> secretNames) {
    return scrubCounting(line, secretNames).line();
  }

  /** How many values {@link #scrub} masks in a line. */
  public static int count(String line, Set<String> secretNames) {
    return scrubCounting(line, secretNames).masked();
  }

  /** {@link #scrub} and {@link #count} in one pass over the line (the intakes need both). */
  public static Scrubbed scrubCounting(String line, Set<String> secretNames) {
    if (secretNames.isEmpty() || line.indexOf('=') < 0) {
      return new Scrubbed(line, 0);
    }
    Matcher m = PATTERNS.computeIfAbsent(secretNames, LineScrubber::pattern).matcher(line);
    if (!m.find()) {
      return new Scrubbed(line, 0);
    }
    StringBuilder out = new StringBuilder(line.length());
    int masked = 0;
    do {
      if (!m.group(2).equals(MASK)) {
        masked++;
      }
      m.appendReplacement(out, "$1" + MASK);
    } while (m.find());
    m.appendTail(out);
    return new Scrubbed(masked == 0 ? line : out.toString(), masked);
  }

  private static Pattern pattern(Set<String> names) {
    String alternatives =
        names.stream().sorted().map(LineScrubber::encodable).collect(Collectors.joining("|"));
    // the value ends at the next parameter, a space, a quote, or the end of an escaped JSON string
    return Pattern.compile(
        "([?&;](?:" + alternatives + ")=)([^&\\s\"'\\\\#;]*)", Pattern.CASE_INSENSITIVE);
  }

  /**
   * A name as a server reads it after percent-decoding (RFC 3986 §2.1): each character literally or
   * as {@code %HH} of either case ({@code API%5Fkey} is {@code api_key}), so the stored line keeps
   * no secret that the access log converter's {@code QueryScrubber} finds in the decoded target.
   */
  private static String encodable(String name) {
    StringBuilder out = new StringBuilder();
    for (char c : name.toCharArray()) {
      out.append("(?:").append(Pattern.quote(String.valueOf(c)));
      for (char v : new char[] {Character.toLowerCase(c), Character.toUpperCase(c)}) {
        if (v < 0x80) {
          out.append("|%").append(String.format(java.util.Locale.ROOT, "%02X", (int) v));
        }
      }
      out.append(')');
    }
    return out.toString();
  }
}
