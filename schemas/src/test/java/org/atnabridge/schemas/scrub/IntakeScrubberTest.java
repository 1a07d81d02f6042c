package org.atnabridge.schemas.scrub;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class IntakeScrubberTest {

  private final IntakeScrubber scrubber = new IntakeScrubber(IntakeScrubber.DEFAULT_SECRET_NAMES);

  @Test
  void secretValuesAreMasked_andEveryOtherOctetIsKept_evenInvalidUtf8() {
    byte[] head =
        "<190>Dec  6 17:00:00 web nginx: 10.0.0.1 - - \"GET /fhir/Patient?"
            .getBytes(StandardCharsets.US_ASCII);
    byte[] tail =
        "name=\u00e9&access_token=s3cr3t&Code=abc HTTP/1.1\" 200 5 \u00ff\u00fe"
            .getBytes(StandardCharsets.ISO_8859_1);
    byte[] line = new byte[head.length + tail.length];
    System.arraycopy(head, 0, line, 0, head.length);
    System.arraycopy(tail, 0, line, head.length, tail.length);

    IntakeScrubber.Scrubbed out = scrubber.scrub(line);

    assertThat(out.masked()).isEqualTo(2);
    String stored = new String(out.bytes(), StandardCharsets.ISO_8859_1);
    assertThat(stored).doesNotContain("s3cr3t").doesNotContain("=abc");
    assertThat(stored)
        .isEqualTo(
            new String(head, StandardCharsets.ISO_8859_1)
                + "name=\u00e9&access_token=REDACTED&Code=REDACTED HTTP/1.1\" 200 5 \u00ff\u00fe");
  }

  @Test
  void aLineWithoutSecrets_isStoredAsItCame() {
    byte[] line = "GET /fhir/Patient/1 HTTP/1.1".getBytes(StandardCharsets.US_ASCII);
    IntakeScrubber.Scrubbed out = scrubber.scrub(line);
    assertThat(out.masked()).isZero();
    assertThat(out.bytes()).isSameAs(line);
  }
}
