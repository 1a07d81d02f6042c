package org.atnabridge.accesslog;

import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Method + target → {@link RestRequest} (FHIR R5 RESTful API, http.html §3.2), or why not: a drop
 * reason for requests that are no FHIR interaction, a failure for unsafe paths. Stateless.
 */
final class RestRequestReader {

  /** A drop or a request, never both. */
  record Reading(@Nullable RestRequest request, @Nullable DropReason drop) {}

  /** FHIR R5 §2.1.27.5 resource type names and §2.1.27.6 ids (64 chars of [A-Za-z0-9-.]). */
  private static final Pattern TYPE = Pattern.compile("[A-Z][A-Za-z]{1,63}");

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

  private RestRequestReader() {}

  static Reading read(String method, String target, AccessLogSource source) throws LineException {
    String m = method.equals("HEAD") ? "GET" : method;
    if (!(m.equals("GET")
        || m.equals("POST")
        || m.equals("PUT")
        || m.equals("PATCH")
        || m.equals("DELETE"))) {
      return drop(DropReason.NOT_AN_INTERACTION_METHOD);
    }
    int q = target.indexOf('?');
    String rawPath = q < 0 ? target : target.substring(0, q);
    String query = q < 0 ? null : target.substring(q + 1);
    if (rawPath.startsWith("http://") || rawPath.startsWith("https://")) {
      int slash = rawPath.indexOf('/', rawPath.indexOf("//") + 2);
      rawPath = slash < 0 ? "/" : rawPath.substring(slash); // absolute-form (RFC 9112 §3.2.2)
    }
    if (!rawPath.startsWith("/")) {
      return drop(DropReason.NOT_AN_INTERACTION);
    }
    String path = safePath(rawPath);
    String lower = path.toLowerCase(Locale.ROOT);
    for (String d : source.dropPaths()) {
      if (under(lower, d.toLowerCase(Locale.ROOT))) {
        return drop(DropReason.DROP_PATH);
      }
    }
    int lastSlash = lower.lastIndexOf('/');
    int dot = lower.lastIndexOf('.');
    if (dot > lastSlash && source.dropExtensions().contains(lower.substring(dot))) {
      return drop(DropReason.STATIC_FILE);
    }
    String below = null;
    for (String base : source.basePaths()) {
      if (base.equals("/")) {
        below = inferredBelow(path.substring(1));
        if (below == null) {
          return drop(DropReason.NOT_AN_INTERACTION); // no FHIR shape anywhere in the path
        }
        break;
      }
      if (under(path, base)) {
        below = path.length() == base.length() ? "" : path.substring(base.length() + 1);
        break;
      }
    }
    if (below == null) {
      return drop(DropReason.OUTSIDE_BASE);
    }
    while (below.endsWith("/")) {
      below = below.substring(0, below.length() - 1);
    }
    String[] s = below.isEmpty() ? new String[0] : below.split("/", -1);
    List<Map.Entry<String, String>> params = parameters(query);
    RestRequest r = classify(m, s, below, query, params);
    return r == null ? drop(DropReason.NOT_AN_INTERACTION) : new Reading(r, null);
  }

  private static @Nullable RestRequest classify(
      String m,
      String[] s,
      String path,
      @Nullable String query,
      List<Map.Entry<String, String>> params) {
    boolean get = m.equals("GET");
    boolean post = m.equals("POST");
    switch (s.length) {
      case 0 -> {
        if (get) {
          return req(Interaction.SEARCH_SYSTEM, null, null, null, null, null, path, query, params);
        }
        return post
            ? req(
                Interaction.BATCH_OR_TRANSACTION, null, null, null, null, null, path, query, params)
            : null;
      }
      case 1 -> {
        String a = s[0];
        if (a.equals("metadata")) {
          return get
              ? req(Interaction.CAPABILITIES, null, null, null, null, null, path, query, params)
              : null;
        }
        if (a.equals("_history")) {
          return get
              ? req(Interaction.HISTORY_SYSTEM, null, null, null, null, null, path, query, params)
              : null;
        }
        if (a.equals("_search")) {
          return post || get
              ? req(Interaction.SEARCH_SYSTEM, null, null, null, null, null, path, query, params)
              : null;
        }
        if (operation(a)) {
          return get || post
              ? req(Interaction.OPERATION, null, null, null, a, null, path, query, params)
              : null;
        }
        if (!TYPE.matcher(a).matches()) {
          return null;
        }
        Interaction i =
            switch (m) {
              case "GET" -> Interaction.SEARCH_TYPE;
              case "POST" -> Interaction.CREATE;
              case "PUT" -> Interaction.UPDATE; // conditional update
              case "PATCH" -> Interaction.PATCH; // conditional patch
              default -> Interaction.DELETE; // conditional delete
            };
        return req(i, a, null, null, null, null, path, query, params);
      }
      default -> {
        String type = s[0];
        if (!TYPE.matcher(type).matches()) {
          return null;
        }
        String b = s[1];
        if (s.length == 2) {
          if (b.equals("_search")) {
            return post || get
                ? req(Interaction.SEARCH_TYPE, type, null, null, null, null, path, query, params)
                : null;
          }
          if (b.equals("_history")) {
            return get
                ? req(Interaction.HISTORY_TYPE, type, null, null, null, null, path, query, params)
                : null;
          }
          if (operation(b)) {
            return get || post
                ? req(Interaction.OPERATION, type, null, null, b, null, path, query, params)
                : null;
          }
          if (!ID.matcher(b).matches()) {
            return null;
          }
          Interaction i =
              switch (m) {
                case "GET" -> Interaction.READ;
                case "PUT" -> Interaction.UPDATE;
                case "PATCH" -> Interaction.PATCH;
                case "DELETE" -> Interaction.DELETE;
                default -> null; // POST on an instance is no FHIR interaction
              };
          return i == null ? null : req(i, type, b, null, null, null, path, query, params);
        }
        if (!ID.matcher(b).matches()) {
          return null;
        }
        String c = s[2];
        if (s.length == 3) {
          if (c.equals("_history")) {
            return get
                ? req(Interaction.HISTORY_INSTANCE, type, b, null, null, null, path, query, params)
                : null;
          }
          if (operation(c)) {
            return get || post
                ? req(Interaction.OPERATION, type, b, null, c, null, path, query, params)
                : null;
          }
          if (c.equals("*") || TYPE.matcher(c).matches()) {
            return get
                ? req(Interaction.SEARCH_COMPARTMENT, type, b, null, null, c, path, query, params)
                : null;
          }
          return null;
        }
        String d = s[3];
        if (s.length == 4 && c.equals("_history") && ID.matcher(d).matches()) {
          return get ? req(Interaction.VREAD, type, b, d, null, null, path, query, params) : null;
        }
        if (s.length == 4 && d.equals("_search") && TYPE.matcher(c).matches()) {
          return post || get
              ? req(Interaction.SEARCH_COMPARTMENT, type, b, null, null, c, path, query, params)
              : null;
        }
        return null;
      }
    }
  }

  private static RestRequest req(
      Interaction i,
      @Nullable String type,
      @Nullable String id,
      @Nullable String version,
      @Nullable String operation,
      @Nullable String compartment,
      String path,
      @Nullable String query,
      List<Map.Entry<String, String>> params) {
    return new RestRequest(i, type, id, version, operation, compartment, path, query, params);
  }

  /**
   * Below a base of {@code /} (every path audited), the FHIR base is whatever comes before the
   * first segment that is a resource type or a FHIR keyword ({@code metadata}, {@code _history},
   * {@code _search}, {@code $op}): {@code /fhir/Patient/1} and {@code /baseR4/Patient/1} are read
   * Patient reads without a declared base. A path with no such segment has no FHIR shape (null),
   * except the root itself; interactions on a base ({@code GET /fhir?...}, {@code POST /fhir}) need
   * the base declared in the sources file.
   */
  private static @Nullable String inferredBelow(String path) {
    if (path.isEmpty()) {
      return path;
    }
    String[] segments = path.split("/", -1);
    int offset = 0;
    for (String segment : segments) {
      if (TYPE.matcher(segment).matches()
          || segment.equals("metadata")
          || segment.equals("_history")
          || segment.equals("_search")
          || operation(segment)) {
        return path.substring(offset);
      }
      offset += segment.length() + 1;
    }
    return null;
  }

  private static boolean operation(String segment) {
    return segment.length() > 1
        && segment.charAt(0) == '$'
        && segment.chars().skip(1).allMatch(ch -> Character.isLetterOrDigit(ch) || ch == '-');
  }

  private static boolean under(String path, String prefix) {
    return prefix.equals("/")
        || path.equals(prefix)
        || (path.startsWith(prefix) && path.charAt(prefix.length()) == '/');
  }

  private static Reading drop(DropReason reason) {
    return new Reading(null, reason);
  }

  /**
   * The path percent-decoded; refused when it has a NUL or another control character, a bad escape,
   * or a {@code .} / {@code ..} segment (decoded or not: RFC 3986 §5.2.4 would remove them, and a
   * path that needs it is an attack or a broken client, not an interaction to audit as-is).
   */
  static String safePath(String raw) throws LineException {
    String decoded = PercentDecoding.decode(raw, false);
    if (decoded == null) {
      throw new LineException(FailureReason.UNSAFE_PATH, "bad percent escape or not UTF-8");
    }
    for (int i = 0; i < decoded.length(); i++) {
      char c = decoded.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        throw new LineException(
            FailureReason.UNSAFE_PATH,
            c == 0 ? "NUL in the path" : "control character in the path");
      }
    }
    for (String seg : decoded.split("[/\\\\]", -1)) {
      if (seg.equals("..") || seg.equals(".")) {
        throw new LineException(FailureReason.UNSAFE_PATH, "dot segment in the path");
      }
    }
    return decoded;
  }

  /**
   * Query parameters decoded ({@code +} is a space); names without {@code =} get an empty value.
   */
  static List<Map.Entry<String, String>> parameters(@Nullable String query) {
    if (query == null || query.isEmpty()) {
      return List.of();
    }
    List<Map.Entry<String, String>> out = new ArrayList<>();
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      out.add(
          new SimpleImmutableEntry<>(
              PercentDecoding.decodeQuiet(name, true), PercentDecoding.decodeQuiet(value, true)));
    }
    return out;
  }
}
