package org.atnabridge.allinone;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** What {@code dlq show} and {@code dlq list} let reach a terminal. */
class ByteTextTest {

  @Test
  void printableUtf8_isText_withTabsAndLineBreaks() {
    byte[] xml = "<AuditMessage>\n\t<é/>\r\n</AuditMessage>".getBytes(StandardCharsets.UTF_8);
    assertThat(ByteText.of(xml))
        .isEqualTo(new ByteText("text", new String(xml, StandardCharsets.UTF_8)));
  }

  @Test
  void invalidUtf8_escapeSequencesAndBidiOverrides_areBase64() {
    byte[] binary = {(byte) 0xff, 0x00, 0x01, (byte) 0xfe};
    byte[] escape = "red \u001b[31m".getBytes(StandardCharsets.UTF_8);
    byte[] bidi = "file\u202egnp.exe".getBytes(StandardCharsets.UTF_8);
    for (byte[] b : new byte[][] {binary, escape, bidi}) {
      assertThat(ByteText.of(b))
          .isEqualTo(new ByteText("base64", Base64.getEncoder().encodeToString(b)));
    }
  }

  @Test
  void oneLine_replacesControlAndFormatCharacters_andCuts() {
    assertThat(DeadLetterOutput.oneLine("a\nb\u001b[2Jc\u202ed", 100)).isEqualTo("a b [2Jc d");
    assertThat(DeadLetterOutput.oneLine("abcdef", 4)).isEqualTo("abc…");
  }
}
