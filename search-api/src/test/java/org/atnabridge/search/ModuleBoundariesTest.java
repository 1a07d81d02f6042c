package org.atnabridge.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The API takes its vocabulary from schemas, not from the syslog converter: no compiled main class
 * refers to {@code org.atnabridge.atna}, and the converter is a test dependency only (the suite
 * searches the test vectors as the converter turns them into events).
 */
class ModuleBoundariesTest {

  private static final Path CLASSES = Path.of("target", "classes", "org", "atnabridge", "search");

  /** Internal form of the converter's package, as class files' constant pools name it. */
  private static final byte[] CONVERTER =
      "org/atnabridge/atna/".getBytes(StandardCharsets.US_ASCII);

  /** The access log converter's package: test scope only too (events built for the suite). */
  private static final byte[] ACCESS_LOG_CONVERTER =
      "org/atnabridge/accesslog/".getBytes(StandardCharsets.US_ASCII);

  private static final Pattern CONVERTER_DEPENDENCY =
      Pattern.compile(
          "<dependency>((?:(?!</dependency>).)*<artifactId>(?:atna|access-log)-converter</artifactId>(?:(?!</dependency>).)*)</dependency>",
          Pattern.DOTALL);

  @Test
  void mainClasses_referNothingOfTheConverter() throws IOException {
    List<Path> classes;
    try (Stream<Path> walk = Files.walk(CLASSES)) {
      classes = walk.filter(p -> p.toString().endsWith(".class")).toList();
    }
    assertThat(classes).as("compiled main classes").hasSizeGreaterThan(20);
    for (Path c : classes) {
      byte[] bytes = Files.readAllBytes(c);
      assertThat(contains(bytes, CONVERTER)).as("%s refers to org.atnabridge.atna", c).isFalse();
      assertThat(contains(bytes, ACCESS_LOG_CONVERTER))
          .as("%s refers to org.atnabridge.accesslog", c)
          .isFalse();
    }
  }

  @Test
  void converter_isATestDependencyOnly() throws IOException {
    Matcher m = CONVERTER_DEPENDENCY.matcher(Files.readString(Path.of("pom.xml")));
    while (m.find()) {
      assertThat(m.group(1))
          .as("converter dependency of search-api")
          .contains("<scope>test</scope>");
    }
  }

  @Test
  void contains_findsTheConverterPackageInBytes() {
    assertThat(
            contains(
                "Lorg/atnabridge/atna/fhir/Codings;".getBytes(StandardCharsets.US_ASCII),
                CONVERTER))
        .isTrue();
    assertThat(
            contains(
                "Lorg/atnabridge/schemas/vocab/CodeSystems;".getBytes(StandardCharsets.US_ASCII),
                CONVERTER))
        .isFalse();
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
