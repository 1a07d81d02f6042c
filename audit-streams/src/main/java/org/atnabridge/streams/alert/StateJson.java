package org.atnabridge.streams.alert;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A state store value (a record of this package) as JSON: the stores' changelog topics are internal
 * to the alert application, so the format only has to be read back by the same or the next release
 * (unknown fields are ignored, so a release may add some).
 */
final class StateJson<T> implements Serde<T> {

  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .setSerializationInclusion(JsonInclude.Include.NON_NULL)
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final Class<T> type;

  StateJson(Class<T> type) {
    this.type = type;
  }

  @Override
  public Serializer<T> serializer() {
    return (topic, value) -> value == null ? null : write(value);
  }

  @Override
  public Deserializer<T> deserializer() {
    return (topic, bytes) -> bytes == null ? null : read(bytes);
  }

  private byte[] write(T value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new SerializationException("alert state " + type.getSimpleName(), e);
    }
  }

  private T read(byte[] bytes) {
    try {
      return MAPPER.readValue(bytes, type);
    } catch (IOException e) {
      throw new SerializationException("alert state " + type.getSimpleName(), e);
    }
  }
}
