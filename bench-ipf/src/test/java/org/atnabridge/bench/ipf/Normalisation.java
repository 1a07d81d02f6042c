package org.atnabridge.bench.ipf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * What carries no meaning for the comparison is taken out before it: the logical {@code id}, the
 * narrative and the storage metadata ({@code meta.versionId}, {@code meta.lastUpdated}) differ by
 * construction; timestamps are compared as instants (IPF writes {@code +00:00}, a {@code Z} is the
 * same instant, FHIR R4 datatypes "instant"). Element order where it carries no meaning is handled
 * by {@link EventDiff}, which pairs array elements by key, not by position.
 */
final class Normalisation {

  private static final List<String> INSTANTS = List.of("recorded");

  private Normalisation() {}

  static ObjectNode event(JsonNode event) {
    ObjectNode copy = event.deepCopy();
    copy.remove(List.of("id", "text"));
    if (copy.get("meta") instanceof ObjectNode meta) {
      meta.remove(List.of("versionId", "lastUpdated"));
      if (meta.isEmpty()) {
        copy.remove("meta");
      }
    }
    for (String field : INSTANTS) {
      instant(copy, field);
    }
    if (copy.get("period") instanceof ObjectNode period) {
      instant(period, "start");
      instant(period, "end");
    }
    return copy;
  }

  private static void instant(ObjectNode node, String field) {
    JsonNode value = node.get(field);
    if (value != null && value.isTextual()) {
      try {
        node.put(field, OffsetDateTime.parse(value.asText()).toInstant().toString());
      } catch (DateTimeParseException e) {
        // left as it is: a value that is not an instant is itself a difference to report
      }
    }
  }
}
