package org.atnabridge.accesslog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

/**
 * The golden inputs: {@code src/test/resources/golden/<source>.<ext>}, each converted with the
 * source of that name in {@code sources.yaml}.
 */
final class GoldenLines {

  static final Path DIR = Path.of("src/test/resources/golden");
  static final LineOrigin ORIGIN =
      new LineOrigin(null, "192.0.2.1:514", Instant.parse("2026-12-01T12:00:00Z"));

  private GoldenLines() {}

  static AccessLogSources sources() throws IOException {
    return AccessLogSources.parse(Files.readString(DIR.resolve("sources.yaml")));
  }

  /** The input files' names. */
  static Stream<String> inputs() throws IOException {
    try (Stream<Path> files = Files.list(DIR)) {
      return files
          .map(p -> p.getFileName().toString())
          // the reviewed goldens name the inputs, so a lost input fails instead of being skipped
          .filter(n -> n.endsWith(".log.json") || n.endsWith(".ndjson.json"))
          .map(n -> n.substring(0, n.length() - ".json".length()))
          .sorted()
          .toList()
          .stream();
    }
  }

  static AccessLogSource sourceOf(String input) throws IOException {
    String name = input.substring(0, input.lastIndexOf('.'));
    AccessLogSource s = sources().get(name);
    if (s == null) {
      throw new IllegalStateException("no source " + name + " in sources.yaml");
    }
    return s;
  }

  static List<String> lines(String input) throws IOException {
    return Files.readAllLines(DIR.resolve(input), StandardCharsets.UTF_8);
  }
}
