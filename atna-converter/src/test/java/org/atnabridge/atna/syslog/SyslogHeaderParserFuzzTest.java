package org.atnabridge.atna.syslog;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.atnabridge.atna.ConversionException;
import org.atnabridge.atna.Corpus;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzzes the RFC 5424 / RFC 3164 header reader with arbitrary frames. Seeds: every ATNA message of
 * the shared corpus (header or none) and {@code SyslogHeaderParserFuzzTestInputs/parse}.
 * Properties: it never throws (ITI-20: an ARR accepts any message, irregularities are flags), MSG
 * starts inside the frame, PRI fields are in range unless flagged, and an RFC 5424 header it read
 * without a STRUCTURED_DATA_INVALID flag, written back canonically, reads back to the same fields
 * and the same MSG.
 */
class SyslogHeaderParserFuzzTest {

  private static final Instant RECEIVED = Instant.parse("2026-01-01T00:30:00Z");
  private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  static Stream<Arguments> vectors() {
    return Corpus.vectors().stream().map(v -> Arguments.of((Object) message(v)));
  }

  @MethodSource("vectors")
  @FuzzTest(maxDuration = "60s")
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void parse(byte[] frame) {
    SyslogRecord r = SyslogHeaderParser.parse(frame, RECEIVED);

    assertThat(r.msgOffset()).isBetween(0, frame.length);
    if (r.format() == SyslogFormat.NONE) {
      assertThat(r.facility()).isNull();
      assertThat(r.severity()).isNull();
    } else {
      assertThat(r.severity()).isNotNull().isBetween(0, 7);
      assertThat(r.facility()).isNotNull();
      if (!r.flags().contains(SyslogFlag.PRI_INVALID)) {
        assertThat(r.facility()).isBetween(0, 23);
      }
    }
    if (r.format() != SyslogFormat.RFC5424) {
      assertThat(r.structuredData()).isEmpty();
      assertThat(r.rawStructuredData()).isNull();
      assertThat(r.msgId()).isNull();
    }
    if (r.format() == SyslogFormat.RFC3164 && r.timestamp() != null) {
      assertThat(r.flags()).contains(SyslogFlag.YEAR_ASSUMED, SyslogFlag.ZONE_ASSUMED);
    }
    if (r.format() == SyslogFormat.RFC5424
        && !r.flags().contains(SyslogFlag.STRUCTURED_DATA_INVALID)) {
      byte[] again = rfc5424(r, Arrays.copyOfRange(frame, r.msgOffset(), frame.length));
      SyslogRecord back = SyslogHeaderParser.parse(again, RECEIVED);
      assertThat(back).usingRecursiveComparison().ignoringFields("msgOffset", "flags").isEqualTo(r);
      assertThat(comparable(back.flags())).isEqualTo(comparable(r.flags()));
      assertThat(Arrays.copyOfRange(again, back.msgOffset(), again.length))
          .isEqualTo(Arrays.copyOfRange(frame, r.msgOffset(), frame.length));
    }
  }

  /** The record written back canonically: {@code <PRI>1 TS HOST APP PROCID MSGID SD SP BOM MSG}. */
  private static byte[] rfc5424(SyslogRecord r, byte[] msg) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int pri = r.facility() * 8 + r.severity();
    String header =
        "<"
            + pri
            + ">1 "
            + nil(r.rawTimestamp())
            + " "
            + nil(r.hostname())
            + " "
            + nil(r.appName())
            + " "
            + nil(r.procId())
            + " "
            + nil(r.msgId())
            + " "
            + nil(r.rawStructuredData())
            + " ";
    out.writeBytes(header.getBytes(UTF_8));
    out.writeBytes(BOM); // exactly one BOM is stripped, so a MSG starting with one survives
    out.writeBytes(msg);
    return out.toByteArray();
  }

  private static String nil(@Nullable String field) {
    return field == null ? "-" : field;
  }

  /** PRI_INVALID (leading zeros) and BOM do not survive the canonical form by design. */
  private static Set<SyslogFlag> comparable(Set<SyslogFlag> flags) {
    Set<SyslogFlag> s = flags.isEmpty() ? EnumSet.noneOf(SyslogFlag.class) : EnumSet.copyOf(flags);
    s.remove(SyslogFlag.PRI_INVALID);
    s.remove(SyslogFlag.BOM);
    return s;
  }

  private static byte[] message(String vector) {
    try {
      return Corpus.message(vector);
    } catch (ConversionException e) {
      throw new IllegalStateException(vector + ": " + e.getMessage(), e);
    }
  }
}
