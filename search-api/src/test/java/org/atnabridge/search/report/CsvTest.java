package org.atnabridge.search.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CsvTest {

  @Test
  void row_quotesOnlyWhatNeedsIt_andEndsWithCrlf() {
    assertThat(Csv.row(List.of("a", "b c", "d,e", "say \"hi\"", "two\nlines", "")))
        .isEqualTo("a,b c,\"d,e\",\"say \"\"hi\"\"\",\"two\nlines\",\r\n");
  }

  /** value as the report holds it → the cell as written (tab, CR and LF spelled \\t \\r \\n). */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiterString = "→",
      quoteCharacter = '`',
      textBlock =
          """
      # plain text and inner formula characters stay as they are
      plain                           → plain
      Dr. = Smith                     → Dr. = Smith
      a-b+c@d                         → a-b+c@d
      # a delimiter of either kind, a quote or a line break: quoted
      Bob, Jr.                        → "Bob, Jr."
      ETREAT; TREAT                   → "ETREAT; TREAT"
      say "hi"                        → "say ""hi""\"
      two\\nlines                     → "two\\nlines"
      a\\rb                           → "a\\rb"
      # a cell seen in an attack: opened with ; as the delimiter it split into a formula; quoting alone does
      # not help when the cell is not the first (a quote inside a ;-field is literal)
      jdoe;=cmd|' /C calc'!A0;        → "jdoe;'=cmd|' /C calc'!A0;"
      a; +1;"-2";\\n@x                → "a; '+1;""'-2"";\\n'@x"
      # a leading = + - @ tab or CR: neutralised with '
      =1+1                            → '=1+1
      +49 30 123                      → '+49 30 123
      -2                              → '-2
      @SUM(A1)                        → '@SUM(A1)
      \\tcmd                          → '\\tcmd
      \\r=cmd                         → "'\\r'=cmd"
      =cmd|' /C calc'!A0              → '=cmd|' /C calc'!A0
      =HYPERLINK("x";"y")             → "'=HYPERLINK(""x"";""y"")"
      # after a ; or a line break, but not after a comma (inside a quoted cell for a , reader)
      x;=y                            → "x;'=y"
      x\\n=y                          → "x\\n'=y"
      x,=y                            → "x,=y"
      =HYPERLINK("x","y")             → "'=HYPERLINK(""x"",""y"")"
      """)
  void cell_quotesDelimitersOfEitherKind_andNeutralisesFormulas(String value, String written) {
    assertThat(Csv.cell(unescape(value))).isEqualTo(unescape(written));
  }

  private static String unescape(String s) {
    return s.replace("\\t", "\t").replace("\\r", "\r").replace("\\n", "\n");
  }
}
