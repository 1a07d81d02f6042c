package org.atnabridge.streams.subscription;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A {@link Match} on the repartition topic: the topic URL's UTF-8 length (4 bytes, big-endian), the
 * URL, then the event's JSON as it came, so the event is neither parsed nor written again on the
 * way.
 */
final class MatchSerde implements Serde<Match> {

  @Override
  public Serializer<Match> serializer() {
    return (topic, m) -> {
      if (m == null) {
        return null;
      }
      byte[] url = m.topic().getBytes(StandardCharsets.UTF_8);
      return ByteBuffer.allocate(4 + url.length + m.event().length)
          .putInt(url.length)
          .put(url)
          .put(m.event())
          .array();
    };
  }

  @Override
  public Deserializer<Match> deserializer() {
    return (topic, bytes) -> {
      if (bytes == null) {
        return null;
      }
      if (bytes.length < 4) {
        throw new SerializationException("not a subscription match");
      }
      int n = ByteBuffer.wrap(bytes).getInt();
      if (n < 0 || n > bytes.length - 4) {
        throw new SerializationException("not a subscription match");
      }
      return new Match(
          new String(bytes, 4, n, StandardCharsets.UTF_8),
          Arrays.copyOfRange(bytes, 4 + n, bytes.length));
    };
  }
}
