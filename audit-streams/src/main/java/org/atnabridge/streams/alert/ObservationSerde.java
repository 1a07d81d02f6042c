package org.atnabridge.streams.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.atnabridge.schemas.alert.Alert;
import org.jspecify.annotations.Nullable;

/**
 * {@link Observation} as compact JSON on the alert repartition topic (internal to the alert
 * application: its format may change with a release, as long as a rolling upgrade reads the old
 * one; field names are short because every matching event writes one).
 */
public final class ObservationSerde implements Serde<Observation> {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Override
  public Serializer<Observation> serializer() {
    return (topic, o) -> o == null ? null : write(o);
  }

  @Override
  public Deserializer<Observation> deserializer() {
    return (topic, bytes) -> bytes == null ? null : read(bytes);
  }

  static byte[] write(Observation o) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("r", o.ruleId());
    n.put("g", o.group());
    n.put("e", o.eventId());
    n.put("t", o.recorded().toString());
    ArrayNode values = n.putArray("v");
    o.values().forEach(values::add);
    ArrayNode steps = n.putArray("s");
    o.steps().forEach(steps::add);
    parties(n.putArray("a"), o.agents());
    parties(n.putArray("p"), o.patients());
    try {
      return MAPPER.writeValueAsBytes(n);
    } catch (IOException e) {
      throw new SerializationException("observation", e);
    }
  }

  static Observation read(byte[] bytes) {
    try {
      JsonNode n = MAPPER.readTree(bytes);
      List<String> values = new ArrayList<>();
      n.path("v").forEach(v -> values.add(v.asText()));
      List<Integer> steps = new ArrayList<>();
      n.path("s").forEach(s -> steps.add(s.asInt()));
      return new Observation(
          n.path("r").asText(),
          n.path("g").asText(),
          n.path("e").asText(),
          Instant.parse(n.path("t").asText()),
          values,
          steps,
          parties(n.path("a")),
          parties(n.path("p")));
    } catch (IOException | RuntimeException e) {
      throw new SerializationException("not an alert observation", e);
    }
  }

  private static void parties(ArrayNode array, List<Alert.Party> parties) {
    for (Alert.Party p : parties) {
      ObjectNode o = array.addObject();
      put(o, "r", p.reference());
      put(o, "s", p.system());
      put(o, "v", p.value());
      put(o, "d", p.display());
    }
  }

  private static List<Alert.Party> parties(JsonNode array) {
    List<Alert.Party> out = new ArrayList<>();
    array.forEach(
        o -> out.add(new Alert.Party(text(o, "r"), text(o, "s"), text(o, "v"), text(o, "d"))));
    return out;
  }

  private static void put(ObjectNode o, String name, @Nullable String value) {
    if (value != null) {
      o.put(name, value);
    }
  }

  private static @Nullable String text(JsonNode o, String name) {
    JsonNode v = o.get(name);
    return v == null || v.isNull() ? null : v.asText();
  }
}
