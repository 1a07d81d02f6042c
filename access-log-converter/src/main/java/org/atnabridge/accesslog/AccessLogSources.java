package org.atnabridge.accesslog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The access log sources file ({@code --access-log-sources FILE}), validated when loaded: every bad
 * setting is an {@link IllegalArgumentException} naming it ({@code sources[1].format: ...}).
 *
 * <pre>
 * sources:
 *   - name: fhir-gateway            # required, unique
 *     format: combined              # combined | common | json | envoy | envoy-json | custom
 *     observer: fhir-gw.example.org # the server's identity (source.observer)
 *     base-paths: [/fhir]           # default [/]: every path
 *     drop:
 *       paths: [/health, /metrics]  # default: /health /healthz /metrics /favicon.ico /robots.txt
 *       extensions: [.js, .css]     # default: static files
 *     trust-forwarded-for: false    # true only behind a proxy that sets X-Forwarded-For
 *     scrub-parameters: [access_token, code, password, api_key]
 *     json-fields: {user: ..., client-id: ..., request-id: ..., forwarded-for: ..., upstream-status: ...}
 *     log-format: '%h %l %u %t "%r" %&gt;s %b'  # with format: custom (LogFormat or log_format)
 * </pre>
 */
public final class AccessLogSources {

  private static final Set<String> SOURCE_KEYS =
      Set.of(
          "name",
          "format",
          "observer",
          "base-paths",
          "drop",
          "trust-forwarded-for",
          "scrub-parameters",
          "json-fields",
          "log-format");
  private static final Set<String> DROP_KEYS = Set.of("paths", "extensions");
  private static final Set<String> JSON_KEYS =
      Set.of("user", "client-id", "request-id", "forwarded-for", "upstream-status");

  private final Map<String, AccessLogSource> byName;

  private AccessLogSources(Map<String, AccessLogSource> byName) {
    this.byName = byName;
  }

  /** The sources in file order, by name. */
  public Map<String, AccessLogSource> byName() {
    return byName;
  }

  public @Nullable AccessLogSource get(String name) {
    return byName.get(name);
  }

  /**
   * @param yaml the file's text
   * @throws IllegalArgumentException naming the first bad setting
   */
  public static AccessLogSources parse(String yaml) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "not valid YAML"
              + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()));
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("sources: a mapping with a 'sources' list is expected");
    }
    unknownKeys(root, Set.of("sources"), "");
    JsonNode list = root.get("sources");
    if (list == null || !list.isArray() || list.isEmpty()) {
      throw new IllegalArgumentException("sources: a non-empty list is expected");
    }
    Map<String, AccessLogSource> out = new LinkedHashMap<>();
    for (int i = 0; i < list.size(); i++) {
      String at = "sources[" + i + "]";
      AccessLogSource s = source(list.get(i), at);
      if (out.put(s.name(), s) != null) {
        throw new IllegalArgumentException(at + ".name: '" + s.name() + "' is declared twice");
      }
    }
    return new AccessLogSources(java.util.Collections.unmodifiableMap(out));
  }

  private static AccessLogSource source(JsonNode n, String at) {
    if (!n.isObject()) {
      throw new IllegalArgumentException(at + ": a mapping is expected");
    }
    unknownKeys(n, SOURCE_KEYS, at);
    String name = text(n, "name", at);
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException(at + ".name: required");
    }
    String formatName = text(n, "format", at);
    if (formatName == null) {
      throw new IllegalArgumentException(
          at + ".format: required (" + AccessLogFormat.names() + ")");
    }
    AccessLogFormat format;
    try {
      format = AccessLogFormat.of(formatName);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(at + ".format: " + e.getMessage(), e);
    }
    AccessLogSource defaults = AccessLogSource.defaults(); // the lists do not depend on the format
    List<String> basePaths = strings(n, "base-paths", at, defaults.basePaths());
    List<String> dropPaths = defaults.dropPaths();
    Set<String> dropExtensions = defaults.dropExtensions();
    JsonNode drop = n.get("drop");
    if (drop != null && !drop.isNull()) {
      if (!drop.isObject()) {
        throw new IllegalArgumentException(at + ".drop: a mapping (paths, extensions) is expected");
      }
      unknownKeys(drop, DROP_KEYS, at + ".drop");
      dropPaths = strings(drop, "paths", at + ".drop", dropPaths);
      dropExtensions =
          new LinkedHashSet<>(
              strings(drop, "extensions", at + ".drop", new ArrayList<>(dropExtensions)));
    }
    boolean trust = false;
    JsonNode t = n.get("trust-forwarded-for");
    if (t != null && !t.isNull()) {
      if (!t.isBoolean()) {
        throw new IllegalArgumentException(at + ".trust-forwarded-for: true or false");
      }
      trust = t.booleanValue();
    }
    Set<String> scrub =
        new LinkedHashSet<>(
            strings(n, "scrub-parameters", at, new ArrayList<>(AccessLogSource.DEFAULT_SCRUB)));
    JsonFieldMapping fields = JsonFieldMapping.DEFAULT;
    JsonNode jf = n.get("json-fields");
    if (jf != null && !jf.isNull()) {
      if (!jf.isObject()) {
        throw new IllegalArgumentException(at + ".json-fields: a mapping is expected");
      }
      String j = at + ".json-fields";
      unknownKeys(jf, JSON_KEYS, j);
      fields =
          new JsonFieldMapping(
              text(jf, "user", j),
              text(jf, "client-id", j),
              text(jf, "request-id", j),
              text(jf, "forwarded-for", j),
              text(jf, "upstream-status", j));
    }
    try {
      return new AccessLogSource(
          name,
          format,
          text(n, "observer", at),
          basePaths,
          dropPaths,
          dropExtensions,
          trust,
          scrub,
          fields,
          text(n, "log-format", at));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(at + ": " + e.getMessage(), e);
    }
  }

  private static void unknownKeys(JsonNode n, Set<String> known, String at) {
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!known.contains(k)) {
        throw new IllegalArgumentException(
            (at.isEmpty() ? "" : at + ".")
                + k
                + ": unknown setting (known: "
                + String.join(", ", known.stream().sorted().toList())
                + ")");
      }
    }
  }

  private static @Nullable String text(JsonNode n, String key, String at) {
    JsonNode v = n.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isValueNode() || v.isBoolean()) {
      throw new IllegalArgumentException(at + "." + key + ": a text value is expected");
    }
    return v.asText();
  }

  private static List<String> strings(JsonNode n, String key, String at, List<String> dflt) {
    JsonNode v = n.get(key);
    if (v == null || v.isNull()) {
      return dflt;
    }
    if (!v.isArray()) {
      throw new IllegalArgumentException(at + "." + key + ": a list is expected");
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      JsonNode e = v.get(i);
      if (!e.isValueNode() || e.isNull() || e.asText().isBlank()) {
        throw new IllegalArgumentException(
            at + "." + key + "[" + i + "]: a text value is expected");
      }
      out.add(e.asText());
    }
    return out;
  }
}
