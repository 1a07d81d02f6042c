package org.atnabridge.accesslog;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads one JSON object per line (nginx {@code escape=json}, Envoy {@code json_format}) with
 * Jackson's streaming parser under {@link StreamReadConstraints}: nesting depth, string length and
 * field count are bounded, so a JSON bomb fails fast. Only top-level scalars are read. Thread-safe.
 */
final class JsonLineParser {

  private final JsonFactory factory;
  private final int maxFields;

  JsonLineParser(AccessLogLimits limits) {
    this.factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(limits.maxJsonDepth())
                    .maxStringLength(limits.maxLineBytes())
                    .maxNumberLength(32)
                    .maxNameLength(256)
                    .build())
            .build();
    this.maxFields = limits.maxJsonFields();
  }

  AccessLogRecord parse(String line, JsonFieldMapping m) throws LineException {
    Map<String, String> f = fields(line);
    String method = first(f, JsonFieldMapping.METHOD);
    String target = first(f, JsonFieldMapping.TARGET);
    String request = first(f, JsonFieldMapping.REQUEST_LINE);
    if ((method == null || target == null) && request != null) {
      String[] r = TextLineParser.requestLine(request);
      method = r[0];
      target = r[1];
    }
    String status = first(f, JsonFieldMapping.STATUS);
    if (status == null) {
      throw new LineException(FailureReason.TRUNCATED, "no status field");
    }
    String time = first(f, JsonFieldMapping.TIME);
    Instant at = time == null ? null : TextLineParser.iso(time);
    return new AccessLogRecord(
        stripPort(first(f, JsonFieldMapping.REMOTE_ADDRESS)),
        first(f, JsonFieldMapping.names(m.user(), JsonFieldMapping.USER)),
        at,
        method == null ? "" : method.toUpperCase(Locale.ROOT),
        target == null ? "" : target,
        TextLineParser.status(status),
        first(f, JsonFieldMapping.names(m.requestId(), JsonFieldMapping.REQUEST_ID)),
        first(f, JsonFieldMapping.names(m.forwardedFor(), JsonFieldMapping.FORWARDED_FOR)),
        first(f, JsonFieldMapping.names(m.clientId(), JsonFieldMapping.CLIENT_ID)),
        first(f, JsonFieldMapping.names(m.upstreamStatus(), JsonFieldMapping.UPSTREAM_STATUS)),
        first(f, JsonFieldMapping.AUTHORITY));
  }

  /** Top-level scalar fields as text; nested values are skipped (within the depth limit). */
  private Map<String, String> fields(String line) throws LineException {
    Map<String, String> out = new HashMap<>();
    try (JsonParser p = factory.createParser(line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new LineException(FailureReason.JSON_MALFORMED, "not a JSON object");
      }
      int count = 0;
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        if (++count > maxFields) {
          throw new LineException(FailureReason.JSON_LIMIT, "more than " + maxFields + " fields");
        }
        String name = p.currentName();
        JsonToken v = p.nextToken();
        if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
          p.skipChildren();
        } else if (v != null && v != JsonToken.VALUE_NULL && name != null) {
          out.put(name, p.getText());
        }
      }
      if (t != JsonToken.END_OBJECT) {
        throw new LineException(FailureReason.TRUNCATED, "the JSON object is not closed");
      }
      if (p.nextToken() != null) {
        throw new LineException(FailureReason.JSON_MALFORMED, "text after the JSON object");
      }
    } catch (StreamConstraintsException e) {
      throw new LineException(FailureReason.JSON_LIMIT, "nesting, string or number over the limit");
    } catch (IOException e) {
      // Jackson says "Unexpected end-of-input" for a cut line; its message quotes the input: not
      // kept
      String m = String.valueOf(e.getMessage());
      throw m.contains("end-of-input")
          ? new LineException(FailureReason.TRUNCATED, "the JSON object is not closed")
          : new LineException(FailureReason.JSON_MALFORMED, "not valid JSON");
    }
    return out;
  }

  private static @Nullable String first(Map<String, String> f, List<String> names) {
    for (String n : names) {
      String v = f.get(n);
      if (v != null && !v.isEmpty() && !v.equals("-")) {
        return v;
      }
    }
    return null;
  }

  /** Envoy's {@code downstream_remote_address} is {@code ip:port} ({@code [v6]:port}). */
  private static @Nullable String stripPort(@Nullable String a) {
    if (a == null) {
      return null;
    }
    if (a.startsWith("[")) {
      int close = a.indexOf(']');
      return close < 0 ? a : a.substring(1, close);
    }
    int colon = a.indexOf(':');
    return colon > 0 && colon == a.lastIndexOf(':') ? a.substring(0, colon) : a;
  }
}
