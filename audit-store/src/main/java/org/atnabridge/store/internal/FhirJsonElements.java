package org.atnabridge.store.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import org.atnabridge.store.SearchField;
import org.jspecify.annotations.Nullable;

/**
 * Reading FHIR JSON elements with HAPI's "has" rules (absent, null or blank is no value), and the
 * common datatypes (CodeableConcept, Coding, Reference) into a {@link FieldExtractor}.
 */
final class FhirJsonElements {

  private FhirJsonElements() {}

  static void concept(FieldExtractor x, @Nullable SearchField f, JsonNode concept) {
    if (!concept.isObject()) {
      return;
    }
    for (JsonNode c : items(concept, "coding")) {
      coding(x, f, c);
    }
    x.text(str(concept, "text"));
  }

  static void coding(FieldExtractor x, @Nullable SearchField f, JsonNode c) {
    if (c.isObject()) {
      x.coding(f, str(c, "system"), str(c, "code"), str(c, "display"));
    }
  }

  static void reference(FieldExtractor x, SearchField f, JsonNode r) {
    if (!r.isObject()) {
      return;
    }
    JsonNode identifier = r.path("identifier");
    x.reference(
        f,
        str(r, "reference"),
        str(identifier, "system"),
        str(identifier, "value"),
        str(r, "display"));
  }

  /** The value of the extension's {@code value[x]} when it is a primitive, else null. */
  static @Nullable String primitive(JsonNode extension) {
    for (Iterator<Map.Entry<String, JsonNode>> it = extension.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (field.getKey().startsWith("value")) {
        return value(field.getValue());
      }
    }
    return null;
  }

  /**
   * A JSON primitive as HAPI's {@code primitiveValue()}; null for objects, arrays, null and blank.
   */
  static @Nullable String value(JsonNode v) {
    if (!v.isValueNode() || v.isNull()) {
      return null;
    }
    String s = v.asText();
    return s.isBlank() ? null : s;
  }

  /** The elements of an array element; nothing when absent or not an array. */
  static Iterable<JsonNode> items(JsonNode parent, String name) {
    JsonNode n = parent.path(name);
    return n.isArray() ? n : java.util.List.of();
  }

  static @Nullable String str(JsonNode parent, String name) {
    return value(parent.path(name));
  }
}
