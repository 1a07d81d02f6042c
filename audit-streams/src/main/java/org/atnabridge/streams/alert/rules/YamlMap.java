package org.atnabridge.streams.alert.rules;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A YAML mapping of the rules file with its keys checked: a key not in the allowed set, or given
 * twice, is an error at its line. Reads values with the line of each for errors.
 */
final class YamlMap {

  private final YamlSource source;
  private final MappingNode node;
  private final String what;
  private final Map<String, NodeTuple> entries = new LinkedHashMap<>();

  YamlMap(YamlSource source, MappingNode node, String what, Set<String> allowed) {
    this.source = source;
    this.node = node;
    this.what = what;
    for (NodeTuple t : node.getValue()) {
      if (!(t.getKeyNode() instanceof ScalarNode k) || Tag.NULL.equals(t.getKeyNode().getTag())) {
        throw source.error(t.getKeyNode(), what + ": a key must be a name");
      }
      String key = k.getValue();
      if (!allowed.contains(key)) {
        throw source.error(k, what + ": unknown key '" + key + "'");
      }
      if (entries.putIfAbsent(key, t) != null) {
        throw source.error(k, what + ": key '" + key + "' given twice");
      }
    }
  }

  YamlSource source() {
    return source;
  }

  String what() {
    return what;
  }

  /** The line where the mapping starts (for a missing key). */
  int line() {
    return YamlSource.line(node);
  }

  boolean has(String key) {
    NodeTuple t = entries.get(key);
    return t != null && !Tag.NULL.equals(t.getValueNode().getTag());
  }

  Set<String> keys() {
    return entries.keySet();
  }

  /** The key's node (for its line). */
  Node keyNode(String key) {
    return require(key).getKeyNode();
  }

  @Nullable Node node(String key) {
    NodeTuple t = entries.get(key);
    return t == null || Tag.NULL.equals(t.getValueNode().getTag()) ? null : t.getValueNode();
  }

  Node required(String key) {
    Node n = node(key);
    if (n == null) {
      throw source.error(line(), what + ": missing '" + key + "'");
    }
    return n;
  }

  String string(String key) {
    String s = source.scalar(required(key), what + "." + key).strip();
    if (s.isEmpty()) {
      throw source.error(required(key), what + "." + key + " is empty");
    }
    return s;
  }

  @Nullable String optionalString(String key) {
    return has(key) ? string(key) : null;
  }

  List<String> strings(String key) {
    return source.scalars(required(key), what + "." + key);
  }

  int positiveInt(String key) {
    Node n = required(key);
    String s = source.scalar(n, what + "." + key).strip();
    try {
      int v = Integer.parseInt(s);
      if (v >= 1) {
        return v;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw source.error(n, what + "." + key + ": '" + s + "' is not a whole number of 1 or more");
  }

  Duration duration(String key) {
    Node n = required(key);
    try {
      return Durations.parse(source.scalar(n, what + "." + key));
    } catch (IllegalArgumentException e) {
      throw source.error(n, what + "." + key + ": " + e.getMessage());
    }
  }

  @Nullable Duration optionalDuration(String key) {
    return has(key) ? duration(key) : null;
  }

  boolean bool(String key, boolean otherwise) {
    if (!has(key)) {
      return otherwise;
    }
    Node n = required(key);
    String s = source.scalar(n, what + "." + key).strip();
    return switch (s) {
      case "true" -> true;
      case "false" -> false;
      default -> throw source.error(n, what + "." + key + ": '" + s + "' is not true or false");
    };
  }

  /** Refuses a key given but not among {@code used}: e.g. a key of another rule kind. */
  void only(Set<String> used, String why) {
    for (Map.Entry<String, NodeTuple> e : entries.entrySet()) {
      if (!used.contains(e.getKey())) {
        throw source.error(e.getValue().getKeyNode(), what + ": key '" + e.getKey() + "' " + why);
      }
    }
  }

  /** An error at the key's value, or at the key when the value is a list or a mapping. */
  RulesFileException error(String key, String reason) {
    Node value = required(key);
    Node at = value instanceof ScalarNode ? value : keyNode(key);
    return source.error(at, what + "." + key + ": " + reason);
  }

  private NodeTuple require(String key) {
    NodeTuple t = entries.get(key);
    if (t == null) {
      throw source.error(line(), what + ": missing '" + key + "'");
    }
    return t;
  }
}
