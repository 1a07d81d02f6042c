package org.atnabridge.store.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.atnabridge.store.SortOrder;
import org.atnabridge.testing.TestVectors;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzzes the paging cursor decoder: a cursor is client input (the {@code _cursor} of a next or
 * previous link). Seeds: cursors at the positions of the shared corpus' files and {@code
 * CursorFuzzTestInputs/decode}. Properties: a text is a cursor or an {@link
 * IllegalArgumentException} (which the API answers with 400), a decoded cursor encodes back to a
 * text that decodes to it, and every cursor, whatever its id, survives encode then decode.
 */
class CursorFuzzTest {

  static Stream<Arguments> vectors() {
    return Stream.of("dicom-audit-xml/ipf-pdq.xml", "syslog-framed/ahdis-iti-47-atna-raw.txt")
        .flatMap(
            v -> {
              String id = TestVectors.path(v).getFileName().toString();
              long millis = TestVectors.path(v).toFile().length();
              return Arrays.stream(SortOrder.values())
                  .map(o -> new Cursor(o, millis, id))
                  .flatMap(c -> Stream.of(c, c.reverse()));
            })
        .map(c -> Arguments.of((Object) c.encode().getBytes(UTF_8)));
  }

  @MethodSource("vectors")
  @FuzzTest(maxDuration = "60s")
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void decode(byte[] input) {
    String text = new String(input, UTF_8);
    Cursor decoded = null;
    try {
      decoded = Cursor.decode(text);
    } catch (IllegalArgumentException e) {
      // not a cursor of ours: the documented refusal
    }
    if (decoded != null) {
      assertThat(Cursor.decode(decoded.encode())).isEqualTo(decoded);
      assertThat(Cursor.decode(text, decoded.sort())).isEqualTo(decoded);
    }

    Cursor built = cursor(input);
    if (built != null) {
      assertThat(Cursor.decode(built.encode(), built.sort())).isEqualTo(built);
    }
  }

  /** A cursor taken from the octets: order, direction, millis, then a non-empty id. */
  private static Cursor cursor(byte[] input) {
    if (input.length < 11) {
      return null;
    }
    ByteBuffer b = ByteBuffer.wrap(input);
    SortOrder order = SortOrder.values()[Math.floorMod(b.get(), SortOrder.values().length)];
    boolean backward = (b.get() & 1) == 1;
    long millis = b.getLong();
    String id = new String(input, b.position(), b.remaining(), UTF_8);
    return new Cursor(order, millis, id, backward);
  }
}
