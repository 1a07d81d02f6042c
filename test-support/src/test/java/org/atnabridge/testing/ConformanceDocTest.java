package org.atnabridge.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConformanceDocTest {

  @TempDir Path dir;

  @Test
  void sections_areAppendedThenReplacedInPlace_othersKept() throws Exception {
    Path file = dir.resolve("conformance.md");
    assertThat(ConformanceDoc.writeSection(file, "a", "| x |\n")).isTrue();
    assertThat(ConformanceDoc.writeSection(file, "b", "B")).isTrue();
    assertThat(ConformanceDoc.writeSection(file, "a", "| x |\n")).isFalse();
    assertThat(ConformanceDoc.writeSection(file, "a", "| y |")).isTrue();

    String text = Files.readString(file);
    assertThat(text)
        .startsWith("# Conformance")
        .contains("<!-- BEGIN a -->\n| y |\n<!-- END a -->\n")
        .contains("<!-- BEGIN b -->\nB\n<!-- END b -->\n")
        .doesNotContain("| x |");
    assertThat(text.indexOf("BEGIN a")).isLessThan(text.indexOf("BEGIN b"));
  }
}
