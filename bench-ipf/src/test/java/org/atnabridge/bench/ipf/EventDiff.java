package org.atnabridge.bench.ipf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Field-by-field (JSON path by JSON path) comparison of two normalised R4 AuditEvents. Repeating
 * elements of AuditEvent carry no meaning in their order, so array elements are paired by a key
 * (the DICOM identity they come from), not by position: an agent by its UserID, an entity by its
 * ParticipantObjectID (the id of a CX or a token), a Coding/CodeableConcept by its code, an
 * extension by its url. A subtree present on one side only is one difference, not one per leaf; an
 * array is compared element by element even when the other side has none.
 */
final class EventDiff {

  /**
   * One difference at {@code segments} (field names, and {@code [key]} for an array element);
   * {@code null} on a side means the element is absent there.
   */
  record Difference(List<String> segments, String ours, String ipf) {
    String path() {
      StringBuilder b = new StringBuilder();
      for (String s : segments) {
        if (!b.isEmpty() && !s.startsWith("[")) {
          b.append('.');
        }
        b.append(s);
      }
      return b.toString();
    }

    /** The path with every array key replaced by {@code [*]}, what the rules match on. */
    String shape() {
      return path().replaceAll("\\[[^\\]]*\\]", "[*]");
    }

    String last() {
      return segments.getLast();
    }
  }

  private static final JsonNode EMPTY = JsonNodeFactory.instance.arrayNode();

  private final List<Difference> out = new ArrayList<>();

  private EventDiff() {}

  static List<Difference> between(JsonNode ours, JsonNode ipf) {
    EventDiff diff = new EventDiff();
    diff.compare(List.of(), ours, ipf);
    return diff.out;
  }

  private void compare(List<String> path, JsonNode ours, JsonNode ipf) {
    if (absent(ours) && absent(ipf)) {
      return;
    }
    if (absent(ours) && ipf.isArray()) {
      ours = EMPTY;
    } else if (absent(ipf) && ours.isArray()) {
      ipf = EMPTY;
    } else if (absent(ours) || absent(ipf)) {
      out.add(new Difference(path, render(ours), render(ipf)));
      return;
    }
    if (ours.isObject() && ipf.isObject()) {
      Set<String> fields = new TreeSet<>();
      ours.fieldNames().forEachRemaining(fields::add);
      ipf.fieldNames().forEachRemaining(fields::add);
      for (String field : fields) {
        compare(append(path, field), ours.get(field), ipf.get(field));
      }
    } else if (ours.isArray() && ipf.isArray()) {
      Map<String, JsonNode> left = keyed(path.getLast(), ours);
      Map<String, JsonNode> right = keyed(path.getLast(), ipf);
      Set<String> keys = new LinkedHashSet<>(left.keySet());
      keys.addAll(right.keySet());
      for (String key : keys) {
        compare(append(path, "[" + key + "]"), left.get(key), right.get(key));
      }
    } else if (!ours.asText().equals(ipf.asText())
        || ours.isContainerNode() != ipf.isContainerNode()) {
      out.add(new Difference(path, render(ours), render(ipf)));
    }
  }

  private static List<String> append(List<String> path, String segment) {
    List<String> longer = new ArrayList<>(path);
    longer.add(segment);
    return List.copyOf(longer);
  }

  /** The element at {@code segments} in {@code root}, array elements found by the same keys. */
  static JsonNode resolve(JsonNode root, List<String> segments) {
    JsonNode node = root;
    String field = "";
    for (String s : segments) {
      if (node == null) {
        return null;
      }
      if (s.startsWith("[")) {
        node = keyed(field, node).get(s.substring(1, s.length() - 1));
      } else {
        node = node.get(s);
        field = s;
      }
    }
    return node;
  }

  private static boolean absent(JsonNode node) {
    return node == null || node.isNull() || (node.isContainerNode() && node.isEmpty());
  }

  static String render(JsonNode node) {
    if (absent(node)) {
      return null;
    }
    return node.isValueNode() ? node.asText() : node.toString();
  }

  private static Map<String, JsonNode> keyed(String field, JsonNode array) {
    Map<String, JsonNode> byKey = new LinkedHashMap<>();
    int index = 0;
    for (Iterator<JsonNode> it = array.elements(); it.hasNext(); index++) {
      JsonNode element = it.next();
      String key = key(field, element, index);
      String unique = key;
      for (int n = 2; byKey.containsKey(unique); n++) {
        unique = key + "#" + n;
      }
      byKey.put(unique, element);
    }
    return byKey;
  }

  private static String key(String field, JsonNode element, int index) {
    if (!element.isObject()) {
      return element.asText();
    }
    if (field.equals("agent")) {
      return first(
          index,
          element.at("/who/identifier/value"),
          element.at("/who/display"),
          element.at("/name"));
    }
    if (field.equals("entity")) {
      String id =
          first(
              index,
              element.at("/what/identifier/value"),
              element.at("/what/reference"),
              element.at("/name"));
      // an HL7 v2 CX (id^^^authority) or a FHIR token (system|id): paired by the id alone
      String cx = id.split("\\^", -1)[0];
      return cx.substring(cx.lastIndexOf('|') + 1);
    }
    return first(
        index,
        element.at("/code"),
        element.at("/coding/0/code"),
        element.at("/url"),
        element.at("/type"),
        element.at("/value"));
  }

  private static String first(int index, JsonNode... candidates) {
    for (JsonNode c : candidates) {
      if (c.isValueNode() && !c.asText().isEmpty()) {
        return c.asText();
      }
    }
    return "#" + index;
  }
}
