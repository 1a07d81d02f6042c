package org.atnabridge.search.selfaudit;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The one way a request is written into anything kept (self-audit records, Security Alerts, the
 * server log): the values of credential-like parameters are replaced by {@value #REDACTED}, only an
 * allow-list of headers is kept, and control characters are escapes ({@link ControlCharacters}).
 * Thread-safe.
 */
public final class RequestScrubber {

  /** What a credential's value becomes. */
  public static final String REDACTED = "redacted";

  /**
   * Parameters that carry credentials: OAuth 2.0 tokens and codes (RFC 6749 §4.1.2, RFC 6750 §2.3,
   * OpenID Connect {@code id_token}), client secrets, passwords and API keys. {@code code} is also
   * an AuditEvent search parameter; recording those values too is the price of never recording an
   * authorization code.
   */
  public static final List<String> DEFAULT_PARAMETERS =
      List.of(
          "access_token",
          "id_token",
          "refresh_token",
          "code",
          "client_secret",
          "password",
          "api_key");

  /**
   * Request headers that are copied into a recorded raw request; every other header (Authorization,
   * Cookie, X-Auth-Token, X-Amz-Security-Token, Referer with its URL, whatever a proxy adds) is
   * left out, so that a new credential header is never recorded by default.
   */
  public static final Set<String> RECORDED_HEADERS =
      Set.of(
          "accept",
          "accept-charset",
          "accept-encoding",
          "accept-language",
          "cache-control",
          "content-length",
          "content-type",
          "forwarded",
          "host",
          "if-match",
          "if-modified-since",
          "if-none-exist",
          "if-none-match",
          "origin",
          "prefer",
          "user-agent",
          "via",
          "x-forwarded-for",
          "x-forwarded-proto",
          "x-request-id");

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._~-]+");

  /** Scrubs {@link #DEFAULT_PARAMETERS}. */
  public static final RequestScrubber DEFAULT = new RequestScrubber(DEFAULT_PARAMETERS);

  private final Set<String> credentials;

  /**
   * @param credentialParameters names whose values are never recorded, matched ignoring case
   */
  public RequestScrubber(Collection<String> credentialParameters) {
    if (credentialParameters.isEmpty()) {
      throw new IllegalArgumentException(
          "--credential-query-params must name at least one parameter");
    }
    for (String name : credentialParameters) {
      if (name == null || !NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "--credential-query-params: not a parameter name: " + name);
      }
    }
    this.credentials =
        credentialParameters.stream()
            .map(n -> n.toLowerCase(Locale.ROOT))
            .collect(Collectors.toSet());
  }

  public Set<String> credentialParameters() {
    return credentials;
  }

  /**
   * True for a credential parameter, also percent-encoded, in another case or with a modifier
   * ({@code :x}).
   */
  public boolean isCredential(String encodedName) {
    String name = decode(encodedName).trim().toLowerCase(Locale.ROOT);
    int colon = name.indexOf(':');
    return credentials.contains(name)
        || (colon > 0 && credentials.contains(name.substring(0, colon)));
  }

  /**
   * A raw query string (or form body) as sent, credential values redacted, control characters
   * escaped.
   */
  public @Nullable String query(@Nullable String raw) {
    if (raw == null) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (String pair : raw.split("&", -1)) {
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      out.add(isCredential(name) ? name + "=" + REDACTED : pair);
    }
    return ControlCharacters.escape(String.join("&", out));
  }

  /**
   * Decoded parameters (HAPI's, of a GET or a POSTed form), form-encoded, credential values
   * redacted.
   */
  public @Nullable String parameters(Map<String, String[]> parameters) {
    if (parameters.isEmpty()) {
      return null;
    }
    List<String> out = new ArrayList<>();
    parameters.forEach(
        (name, values) -> {
          for (String v : values) {
            out.add(encode(name) + "=" + (isCredential(name) ? REDACTED : encode(v)));
          }
        });
    return ControlCharacters.escape(String.join("&", out));
  }

  /** The path and query of a request line, the query {@link #query scrubbed}. */
  public String target(String method, String path, @Nullable String rawQuery) {
    return ControlCharacters.escape(method + " " + path)
        + (rawQuery == null ? "" : "?" + query(rawQuery));
  }

  /** Only {@link #RECORDED_HEADERS}, values escaped. */
  public static Map<String, List<String>> headers(Map<String, List<String>> headers) {
    Map<String, List<String>> kept = new LinkedHashMap<>();
    headers.forEach(
        (name, values) -> {
          if (RECORDED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
            kept.put(name, values.stream().map(ControlCharacters::escape).toList());
          }
        });
    return kept;
  }

  /** Whether a raw query string has parameter {@code name} (percent-encoding and case ignored). */
  public static boolean hasParameter(@Nullable String rawQuery, String name) {
    if (rawQuery == null) {
      return false;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      if (decode(eq < 0 ? pair : pair.substring(0, eq)).trim().equalsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s; // a broken escape: compare as sent
    }
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
