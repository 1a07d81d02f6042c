package org.atnabridge.ingest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.atnabridge.testing.TestVectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The header scan over RFC 5424 and RFC 3164 headers, the variants real senders emit, garbage. */
class SyslogAppNameTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        // RFC 5424 §6: APP-NAME is the third field after VERSION
        "<190>1 2026-12-06T17:00:00.000Z web-1 nginx - - - GET / HTTP/1.1|nginx",
        "<13>1 2026-12-06T17:27:12.596812+00:00 vm httpd - - [timeQuality tzKnown=\"1\"] hello|httpd",
        "<85>1 2025-04-18T09:04:00.603Z node-a atna - IHE+RFC-3881 - <AuditMessage/>|atna",
        "<0>12 - - envoy 42 ID47 -|envoy",
        // RFC 3164 §4.1: what nginx and util-linux logger send
        "<190>Dec  6 17:00:00 myhost nginx: 10.0.0.1 - - [06/Dec/2026:17:00:00 +0000] \"GET /\"|nginx",
        "<13>Dec  6 17:27:12 vm nginx[8046]: hi|nginx",
        "<13>Dec 16 17:27:12 vm apache2: x|apache2",
        // nginx's nohostname: TAG right after the TIMESTAMP
        "<190>Dec  6 17:00:00 nginx: GET /|nginx",
        "<190>Dec  6 17:00:00 nginx[1]: GET /|nginx",
        // a day without its padding, an RFC 3339 timestamp (rsyslog's forward format)
        "<190>Dec 6 17:00:00 myhost nginx: GET /|nginx",
        "<190>2026-12-06T17:00:00.123+00:00 myhost envoy: GET /|envoy",
        // an empty MSG
        "<190>Dec  6 17:00:00 myhost nginx:|nginx",
      })
  void namesTheSender(String frame, String name) {
    assertThat(SyslogAppName.of(frame.getBytes(UTF_8))).isEqualTo(name);
  }

  @ParameterizedTest(name = "[{index}] {0}.")
  @ValueSource(
      strings = {
        "",
        "<",
        "<>1 - - nginx - - -",
        "<1901>1 - - nginx - - -",
        "190>1 - - nginx - - -",
        "nginx: GET /",
        "GET /x HTTP/1.1",
        // RFC 5424 NILVALUE, and frames cut inside the header
        "<13>1 2026-12-06T17:00:00Z host - - - - msg",
        "<13>1 2026-12-06T17:00:00Z host nginx",
        "<13>1 2026-12-06T17:00:00Z host",
        "<13>1 ",
        "<13>Dec  6 17:00",
        "<13>Dec  6 17:00:00 myhost",
        "<13>Dec  6 17:00:00 myhost nginx",
        // no TAG terminator, a bad pid, a hostname that is not followed by a TAG
        "<13>Dec  6 17:00:00 myhost nginx GET /",
        "<13>Dec  6 17:00:00 myhost nginx[12: x",
        "<13>Dec  6 17:00:00 myhost nginx[12]x: x",
        "<13>Dec  6 17:00:00 myhost : x",
        "<13>Dec  6 17:00:00 fe80:: GET /",
        // no timestamp, a version 0
        "<13>nginx: GET /",
        "<13>0 2026-12-06T17:00:00Z host nginx - - -",
        // XML straight away
        "<AuditMessage><EventIdentification/></AuditMessage>",
      })
  void nothing_forAnythingElse(String frame) {
    assertThat(SyslogAppName.of(frame.getBytes(UTF_8))).isNull();
  }

  @Test
  void tooLongName_isNoName() {
    String name = "n".repeat(SyslogAppName.MAX_NAME + 1);
    assertThat(SyslogAppName.of(("<13>1 - host " + name + " - - -").getBytes(UTF_8))).isNull();
    assertThat(SyslogAppName.of(("<13>Dec  6 17:00:00 h " + name + ": x").getBytes(UTF_8)))
        .isNull();
    assertThat(SyslogAppName.of(("<13>1 - host " + name.substring(1) + " - - -").getBytes(UTF_8)))
        .hasSize(SyslogAppName.MAX_NAME);
  }

  @Test
  void headerBeyondTheScanLimit_isNotLookedFor() {
    String host = "h".repeat(SyslogAppName.HEADER_SCAN_LIMIT);
    assertThat(SyslogAppName.of(("<13>1 - " + host + " nginx - - -").getBytes(UTF_8))).isNull();
  }

  @Test
  void controlOrNonAsciiOctets_inTheHeader_areNoName() {
    byte[] frame = "<13>1 - host ngin\u00e9 - - -".getBytes(UTF_8);
    assertThat(SyslogAppName.of(frame)).isNull();
    byte[] tab = "<13>Dec  6 17:00:00 host\tnginx: x".getBytes(UTF_8);
    assertThat(SyslogAppName.of(tab)).isNull();
  }

  @Test
  void atnaTestVector_withNilAppName_hasNoName() throws Exception {
    // RFC 6587 octet-counted frame of a real ITI-47 audit message; its APP-NAME is "-"
    byte[] framed = TestVectors.bytes("syslog-framed/ahdis-iti-47-atna-raw.txt");
    String text = new String(framed, UTF_8);
    byte[] frame = text.substring(text.indexOf(' ') + 1).getBytes(UTF_8);
    assertThat(SyslogAppName.of(frame)).isNull();
  }

  @Test
  void randomBytes_andEveryPrefixOfAFrame_neverThrow() {
    byte[] frame =
        "<190>1 2026-12-06T17:00:00.000Z web-1 nginx - - - GET /?access_token=x".getBytes(UTF_8);
    for (int n = 0; n <= frame.length; n++) {
      SyslogAppName.of(Arrays.copyOf(frame, n));
    }
    Random random = new Random(5424);
    for (int i = 0; i < 20_000; i++) {
      byte[] bytes = new byte[random.nextInt(64)];
      random.nextBytes(bytes);
      if (bytes.length > 0 && random.nextBoolean()) {
        bytes[0] = '<';
      }
      String name = SyslogAppName.of(bytes);
      if (name != null) {
        assertThat(name).matches("[\\x21-\\x7e]{1,48}");
      }
    }
  }
}
