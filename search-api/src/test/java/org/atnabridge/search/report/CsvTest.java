package org.atnabridge.search.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CsvTest {

  @Test
  void row_quotesOnlyWhatNeedsIt_andEndsWithCrlf() {
    assertThat(Csv.row(List.of("a", "b c", "d,e", "say \"hi\"", "two\nlines", "")))
        .isEqualTo("a,b c,\"d,e\",\"say \"\"hi\"\"\",\"two\nlines\",\r\n");
  }

  @Test
  void cell_neutralisesSpreadsheetFormulas() {
    assertThat(Csv.cell("=1+1")).isEqualTo("'=1+1");
    assertThat(Csv.cell("+49 30 123")).isEqualTo("'+49 30 123");
    assertThat(Csv.cell("-2")).isEqualTo("'-2");
    assertThat(Csv.cell("@SUM(A1)")).isEqualTo("'@SUM(A1)");
    assertThat(Csv.cell("\tcmd")).isEqualTo("'\tcmd");
    assertThat(Csv.cell("=HYPERLINK(\"x\",\"y\")")).isEqualTo("\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"");
    assertThat(Csv.cell("Dr. = Smith")).isEqualTo("Dr. = Smith");
  }
}
