package org.atnabridge.allinone;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * The one reader of durations on the command line, for every option of every subcommand: the short
 * form people type ({@code 30s}, {@code 15m}, {@code 1h}, {@code 2d}, {@code 365d}) and the
 * ISO-8601 form ({@code PT60S}, {@code P2D}). A duration is always more than zero.
 *
 * <p>As a picocli converter ({@code converter = DurationConverter.class}) picocli names the option
 * in its usage error; {@link #parse(String, String)} names it itself, for options read as text and
 * checked when the command runs.
 */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

  private static final Pattern SHORT =
      Pattern.compile("(\\d{1,9})(ms|[smhd])", Pattern.CASE_INSENSITIVE);
  static final String FORMS =
      "a number and a unit ms, s, m, h or d (e.g. 30s, 15m, 1h, 365d) or ISO-8601 "
          + "(e.g. PT60S)";

  /**
   * The same syntax, where {@code 0s} is a value too (a tolerance such as {@code
   * --oidc-clock-skew}).
   */
  public static final class OrZero implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      String text = value == null ? "" : value.trim();
      return text.matches("0+(ms|[smhd])?|(?i)PT0+(\\.0+)?S|P0+D")
          ? Duration.ZERO
          : new DurationConverter().convert(text);
    }
  }

  /** The same syntax, or {@code off} (or empty) for {@link Duration#ZERO}: {@code --retention}. */
  public static final class OrOff implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      String text = value == null ? "" : value.trim();
      return text.isEmpty() || text.equalsIgnoreCase("off")
          ? Duration.ZERO
          : new DurationConverter().convert(text);
    }
  }

  /**
   * The same syntax, where a bare number means seconds, as {@code --syslog-idle-timeout} always
   * took.
   */
  public static final class OrSeconds implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      String text = value == null ? "" : value.trim();
      return new DurationConverter().convert(text.matches("\\d{1,9}") ? text + "s" : text);
    }
  }

  @Override
  public Duration convert(String value) {
    try {
      return parse("the value", value);
    } catch (IllegalArgumentException e) {
      String message = e.getMessage();
      throw new CommandLine.TypeConversionException(
          message == null || !message.startsWith("the value ")
              ? "must be " + FORMS + ", got: " + value
              : message.substring("the value ".length()));
    }
  }

  /**
   * @param option the option named in the message, e.g. {@code --ttl}
   * @throws IllegalArgumentException naming {@code option} when {@code value} is neither form or
   *     not positive
   */
  public static Duration parse(String option, String value) {
    String text = value == null ? "" : value.trim();
    Duration d;
    Matcher m = SHORT.matcher(text);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      d =
          switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
          };
    } else if (text.toUpperCase(Locale.ROOT).startsWith("P")) {
      try {
        d = Duration.parse(text);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(option + " must be " + FORMS + ", got: " + value);
      }
    } else {
      throw new IllegalArgumentException(option + " must be " + FORMS + ", got: " + value);
    }
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(option + " must be more than 0, got: " + value);
    }
    return d;
  }
}
