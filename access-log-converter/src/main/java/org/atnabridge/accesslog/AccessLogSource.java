package org.atnabridge.accesslog;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.atnabridge.schemas.scrub.IntakeScrubber;
import org.jspecify.annotations.Nullable;

/**
 * One access log source, as declared in the sources file: how its lines are read and which of them
 * are audited.
 *
 * @param name names the source in events ({@code access-log-source}) and in counters
 * @param format how its lines are written
 * @param observer the logging server's identity, the AuditEvent's {@code source.observer}; null:
 *     the syslog hostname or the HTTP peer of the line
 * @param basePaths FHIR base path prefixes ({@code /fhir}); a line outside all is dropped; {@code
 *     /} audits every path
 * @param dropPaths paths dropped with everything below them ({@code /health}, {@code /metrics})
 * @param dropExtensions file name extensions of static files, dropped ({@code .js}, {@code .css})
 * @param trustForwardedFor whether the first X-Forwarded-For address is the client (only behind a
 *     proxy that sets it)
 * @param scrubParameters query parameters whose values are secrets, lower case
 * @param jsonFields the field mapping of JSON lines
 * @param logFormat the LogFormat / log_format string of format {@code custom}, null otherwise
 */
public record AccessLogSource(
    String name,
    AccessLogFormat format,
    @Nullable String observer,
    List<String> basePaths,
    List<String> dropPaths,
    Set<String> dropExtensions,
    boolean trustForwardedFor,
    Set<String> scrubParameters,
    JsonFieldMapping jsonFields,
    @Nullable String logFormat) {

  public static final String DEFAULT_NAME = "default";

  /** RFC 6749 §4.1.2 {@code code}, RFC 6750 §2.3 {@code access_token}, and the usual suspects. */
  public static final Set<String> DEFAULT_SCRUB = IntakeScrubber.DEFAULT_SECRET_NAMES;

  public static final List<String> DEFAULT_DROP_PATHS =
      List.of("/health", "/healthz", "/metrics", "/favicon.ico", "/robots.txt");

  public static final Set<String> DEFAULT_DROP_EXTENSIONS =
      Set.of(
          ".js", ".css", ".map", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".ico", ".woff", ".woff2",
          ".ttf", ".html", ".htm", ".txt");

  public AccessLogSource {
    if (name.isBlank()) {
      throw new IllegalArgumentException("name: must not be empty");
    }
    if ((format == AccessLogFormat.CUSTOM) != (logFormat != null)) {
      throw new IllegalArgumentException(
          "log-format: given exactly when the format is custom (a LogFormat or log_format string)");
    }
    if (logFormat != null) {
      new CustomFormatParser(logFormat); // IllegalArgumentException naming log-format
    }
    basePaths = basePaths.stream().map(AccessLogSource::normalisePrefix).toList();
    if (basePaths.isEmpty()) {
      throw new IllegalArgumentException("basePaths: at least one prefix (/ audits every path)");
    }
    dropPaths = dropPaths.stream().map(AccessLogSource::normalisePrefix).toList();
    dropExtensions =
        dropExtensions.stream()
            .map(e -> (e.startsWith(".") ? e : "." + e).toLowerCase(Locale.ROOT))
            .collect(Collectors.toUnmodifiableSet());
    scrubParameters =
        scrubParameters.stream()
            .map(p -> p.toLowerCase(Locale.ROOT))
            .collect(Collectors.toUnmodifiableSet());
  }

  /** A source of a named format (not {@code custom}). */
  public AccessLogSource(
      String name,
      AccessLogFormat format,
      @Nullable String observer,
      List<String> basePaths,
      List<String> dropPaths,
      Set<String> dropExtensions,
      boolean trustForwardedFor,
      Set<String> scrubParameters,
      JsonFieldMapping jsonFields) {
    this(
        name,
        format,
        observer,
        basePaths,
        dropPaths,
        dropExtensions,
        trustForwardedFor,
        scrubParameters,
        jsonFields,
        null);
  }

  /** The default source reading lines written with {@code logFormat} (LogFormat / log_format). */
  public static AccessLogSource custom(String logFormat) {
    AccessLogSource d = defaults();
    return new AccessLogSource(
        DEFAULT_NAME,
        AccessLogFormat.CUSTOM,
        null,
        d.basePaths(),
        d.dropPaths(),
        d.dropExtensions(),
        false,
        d.scrubParameters(),
        d.jsonFields(),
        logFormat);
  }

  /** The source used without a sources file: every path of a log in {@code format}. */
  public static AccessLogSource defaults(AccessLogFormat format) {
    return new AccessLogSource(
        DEFAULT_NAME,
        format,
        null,
        List.of("/"),
        DEFAULT_DROP_PATHS,
        DEFAULT_DROP_EXTENSIONS,
        false,
        DEFAULT_SCRUB,
        JsonFieldMapping.DEFAULT);
  }

  /** {@code combined}, every path: the source without a sources file. */
  public static AccessLogSource defaults() {
    return defaults(AccessLogFormat.COMBINED);
  }

  /** Leading slash, no trailing slash except for {@code /} itself. */
  private static String normalisePrefix(String p) {
    String s = p.strip();
    if (s.isEmpty() || !s.startsWith("/")) {
      throw new IllegalArgumentException("path prefix '" + p + "' must start with /");
    }
    while (s.length() > 1 && s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return s;
  }
}
