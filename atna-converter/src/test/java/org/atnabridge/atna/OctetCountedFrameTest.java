package org.atnabridge.atna;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OctetCountedFrameTest {

  @Test
  void strip_validFrame() throws Exception {
    byte[] frame = Corpus.bytes("syslog-framed/ahdis-iti-47-atna-raw.txt");
    byte[] msg = OctetCountedFrame.strip(frame);

    assertThat(msg).hasSize(2164);
    assertThat(new String(msg, 0, 6, StandardCharsets.US_ASCII)).isEqualTo("<85>1 ");
  }

  @Test
  void strip_badPrefixRejected() {
    for (String bad : new String[] {"<85>1 x", "5 abc", "05 abcde", "3abc", "", "99999999999 x"}) {
      assertThatThrownBy(() -> OctetCountedFrame.strip(bad.getBytes(StandardCharsets.US_ASCII)))
          .as(bad)
          .isInstanceOf(ConversionException.class)
          .extracting(t -> ((ConversionException) t).failure())
          .isEqualTo(ConversionFailure.BAD_FRAME);
    }
  }
}
