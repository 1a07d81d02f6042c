package org.atnabridge.schemas.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The JSON of an {@link Alert} on {@code audit.alerts} (and in webhook bodies): an object with
 * {@code "version": 1} and the record's fields by name, instants as ISO-8601 UTC text, nulls
 * omitted. Documented by {@code alert-v1.schema.json}. A reader of version 1 ignores fields it does
 * not know, so fields may be added without a new version; a change of meaning is a new version.
 */
public final class AlertJson {

  public static final int VERSION = 1;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private AlertJson() {}

  public static byte[] write(Alert a) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("version", VERSION);
    o.put("id", a.id());
    ObjectNode rule = o.putObject("rule");
    rule.put("id", a.rule().id());
    rule.put("title", a.rule().title());
    rule.put("kind", a.rule().kind());
    rule.put("severity", a.rule().severity());
    putIfSet(rule, "description", a.rule().description());
    putIfSet(o, "group", a.group());
    o.put("firedAt", a.firedAt().toString());
    o.put("detectedAt", a.detectedAt().toString());
    putIfSet(o, "windowStart", a.windowStart() == null ? null : a.windowStart().toString());
    putIfSet(o, "windowEnd", a.windowEnd() == null ? null : a.windowEnd().toString());
    o.put("late", a.late());
    o.put("eventCount", a.eventCount());
    ArrayNode events = o.putArray("events");
    a.events().forEach(events::add);
    parties(o.putArray("agents"), a.agents());
    parties(o.putArray("patients"), a.patients());
    o.put("summary", a.summary());
    ArrayNode notify = o.putArray("notify");
    a.channels().forEach(notify::add);
    o.put("auditEventId", a.auditEventId());
    try {
      return MAPPER.writeValueAsBytes(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an ObjectNode always serialises", e);
    }
  }

  /**
   * @throws IllegalArgumentException when the bytes are not an alert of a version this reader
   *     knows, naming the field
   */
  public static Alert read(byte[] json) {
    JsonNode o;
    try {
      o = MAPPER.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("not JSON");
    }
    if (o == null || !o.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    int version = o.path("version").asInt(-1);
    if (version != VERSION) {
      throw new IllegalArgumentException("unknown alert version: " + o.path("version"));
    }
    JsonNode rule = o.path("rule");
    return new Alert(
        text(o, "id"),
        new Alert.RuleRef(
            text(rule, "id"),
            text(rule, "title"),
            text(rule, "kind"),
            text(rule, "severity"),
            optional(rule, "description")),
        optional(o, "group"),
        instant(o, "firedAt"),
        instant(o, "detectedAt"),
        optionalInstant(o, "windowStart"),
        optionalInstant(o, "windowEnd"),
        o.path("late").asBoolean(false),
        o.path("eventCount").asInt(0),
        list(o.path("events"), JsonNode::asText),
        list(o.path("agents"), AlertJson::party),
        list(o.path("patients"), AlertJson::party),
        text(o, "summary"),
        list(o.path("notify"), JsonNode::asText),
        text(o, "auditEventId"));
  }

  private static void parties(ArrayNode array, List<Alert.Party> parties) {
    for (Alert.Party p : parties) {
      ObjectNode n = array.addObject();
      putIfSet(n, "reference", p.reference());
      putIfSet(n, "system", p.system());
      putIfSet(n, "value", p.value());
      putIfSet(n, "display", p.display());
    }
  }

  private static Alert.Party party(JsonNode n) {
    return new Alert.Party(
        optional(n, "reference"),
        optional(n, "system"),
        optional(n, "value"),
        optional(n, "display"));
  }

  private static void putIfSet(ObjectNode o, String name, @Nullable String value) {
    if (value != null) {
      o.put(name, value);
    }
  }

  private static String text(JsonNode o, String name) {
    JsonNode v = o.get(name);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException("alert field missing or not text: " + name);
    }
    return v.asText();
  }

  private static @Nullable String optional(JsonNode o, String name) {
    JsonNode v = o.get(name);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static Instant instant(JsonNode o, String name) {
    try {
      return Instant.parse(text(o, name));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("alert field is not an instant: " + name);
    }
  }

  private static @Nullable Instant optionalInstant(JsonNode o, String name) {
    return o.hasNonNull(name) ? instant(o, name) : null;
  }

  private static <T> List<T> list(JsonNode array, Function<JsonNode, T> item) {
    List<T> out = new ArrayList<>();
    if (array.isArray()) {
      array.forEach(n -> out.add(item.apply(n)));
    }
    return out;
  }
}
