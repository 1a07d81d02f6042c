package org.atnabridge.accesslog;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import nl.basjes.parse.core.exceptions.DissectionFailure;
import nl.basjes.parse.core.exceptions.InvalidDissectorException;
import nl.basjes.parse.core.exceptions.MissingDissectorsException;
import nl.basjes.parse.httpdlog.HttpdLoglineParser;
import org.jspecify.annotations.Nullable;

/**
 * Lines in any Apache {@code LogFormat} or nginx {@code log_format} string, read with Niels Basjes'
 * httpdlog parser (the maintained parser of both syntaxes) instead of hand-written expressions.
 * Only the fields the format has are requested. The parser is not thread-safe: one per thread.
 */
final class CustomFormatParser {

  /** One record's fields, by httpdlog path. */
  public static final class Fields {
    private final Map<String, String> values = new HashMap<>();

    /** Called by the parser for every requested path. */
    public void set(String path, @Nullable String value) {
      if (value != null) {
        values.put(path, value);
      }
    }
  }

  private static final List<String> REMOTE = List.of("IP:connection.client.host");
  private static final List<String> USER = List.of("STRING:connection.client.user");
  private static final List<String> TIME = List.of("TIME.EPOCH:request.receive.time.epoch");
  private static final List<String> METHOD = List.of("HTTP.METHOD:request.firstline.method");
  private static final List<String> URI = List.of("HTTP.URI:request.firstline.uri");
  private static final List<String> STATUS =
      List.of("STRING:request.status.last", "STRING:request.status.original");
  private static final List<String> REQUEST_ID =
      List.of(
          "STRING:request.id",
          "HTTP.HEADER:request.header.x-request-id",
          "HTTP.HEADER:request.header.x_request_id");
  private static final List<String> FORWARDED_FOR =
      List.of(
          "HTTP.HEADER:request.header.x-forwarded-for",
          "HTTP.HEADER:request.header.x_forwarded_for");
  private static final List<String> HOST = List.of("HTTP.HEADER:request.header.host");

  /**
   * An IPv4 or IPv6 literal (RFC 4291 §2.2, also with a trailing dotted quad) or "-", checked in
   * linear time: httpdlog's own address expression backtracks exponentially on a long run of hex
   * digits in a line that then fails to match (found by AccessLogConverterFuzzTest: 40 octets took
   * minutes), so a line whose leading address is not one never reaches it.
   */
  private static final Pattern ADDRESS =
      Pattern.compile(
          "-|\\d{1,3}(?:\\.\\d{1,3}){3}"
              + "|[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:\\.\\d{1,3}){0,3}");

  private static final int MAX_ADDRESS_LENGTH = 45;

  private final ThreadLocal<HttpdLoglineParser<Fields>> parser;

  /** The format starts with the client address (%a, %{c}a, $remote_addr): checked first. */
  private final boolean leadingAddress;

  private final LineExpressionGuard guard;

  /**
   * @throws IllegalArgumentException when the format string cannot be read or has no request line
   *     and status
   */
  CustomFormatParser(String logFormat) {
    newParser(logFormat); // validates now, not at the first line
    this.guard = LineExpressionGuard.of(logFormat);
    String f = logFormat.stripLeading();
    this.leadingAddress =
        f.startsWith("%a ") || f.startsWith("%{c}a ") || f.startsWith("$remote_addr ");
    this.parser = ThreadLocal.withInitial(() -> newParser(logFormat));
  }

  private static HttpdLoglineParser<Fields> newParser(String logFormat) {
    HttpdLoglineParser<Fields> p;
    List<String> possible;
    try {
      p = new HttpdLoglineParser<>(Fields.class, logFormat);
      possible = p.getPossiblePaths();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("log-format: cannot be read as a LogFormat or log_format");
    }
    if (possible == null
        || STATUS.stream().noneMatch(possible::contains)
        || !possible.contains(METHOD.get(0))) {
      throw new IllegalArgumentException(
          "log-format: has no request line and status (%r / $request and %>s / $status)");
    }
    try {
      for (List<String> paths :
          List.of(REMOTE, USER, TIME, METHOD, URI, STATUS, REQUEST_ID, FORWARDED_FOR, HOST)) {
        for (String path : paths) {
          if (possible.contains(path)) {
            p.addParseTarget("set", path);
          }
        }
      }
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException("Fields.set(String, String) is the parse target", e);
    }
    return p;
  }

  AccessLogRecord parse(String line) throws LineException {
    if (leadingAddress) {
      int sp = line.indexOf(' ');
      String address = sp < 0 ? line : line.substring(0, sp);
      if (address.length() > MAX_ADDRESS_LENGTH || !ADDRESS.matcher(address).matches()) {
        throw new LineException(FailureReason.MALFORMED, "client address is not an IP address");
      }
    }
    switch (guard.check(line)) {
      case TOO_COMPLEX ->
          throw new LineException(
              FailureReason.MALFORMED, "too costly to match against the log format");
      case NO_MATCH ->
          throw new LineException(FailureReason.MALFORMED, "does not match the log format");
      case MATCHES -> {}
    }
    Fields f;
    try {
      f = parser.get().parse(new Fields(), line);
    } catch (DissectionFailure e) {
      throw new LineException(FailureReason.MALFORMED, "does not match the log format");
    } catch (InvalidDissectorException | MissingDissectorsException e) {
      throw new LineException(FailureReason.MALFORMED, "the log format cannot be applied");
    } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
      // httpdlog's Apache value decoder reads past a value that ends in a lone backslash, and
      // throws on a \x escape without two hex digits (both found by AccessLogConverterFuzzTest):
      // the line's fault, not ours
      throw new LineException(FailureReason.MALFORMED, "a value has a malformed escape");
    }
    String status = first(f, STATUS);
    if (status == null) {
      throw new LineException(FailureReason.TRUNCATED, "no status");
    }
    String epoch = first(f, TIME);
    Instant time = null;
    if (epoch != null) {
      try {
        time = Instant.ofEpochMilli(Long.parseLong(epoch));
      } catch (NumberFormatException e) {
        throw new LineException(FailureReason.MALFORMED, "time is not a time");
      }
    }
    String method = first(f, METHOD);
    String uri = first(f, URI);
    return new AccessLogRecord(
        first(f, REMOTE),
        first(f, USER),
        time,
        method == null ? "" : method.toUpperCase(Locale.ROOT),
        uri == null ? "" : uri,
        TextLineParser.status(status),
        first(f, REQUEST_ID),
        first(f, FORWARDED_FOR),
        null,
        null,
        first(f, HOST));
  }

  private static @Nullable String first(Fields f, List<String> paths) {
    for (String p : paths) {
      String v = f.values.get(p);
      if (v != null && !v.isEmpty() && !v.equals("-")) {
        return v;
      }
    }
    return null;
  }
}
