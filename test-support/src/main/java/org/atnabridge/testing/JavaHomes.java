package org.atnabridge.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds a JDK for the Elasticsearch process: the integ-test-zip bundles none and ES 9 needs 21+.
 * The running JVM is preferred because it is known to work; otherwise the newest JDK under {@code
 * /usr/lib/jvm} whose {@code release} file says 21 or later.
 */
final class JavaHomes {

  private static final Pattern VERSION =
      Pattern.compile("^JAVA_VERSION=\"(\\d+)", Pattern.MULTILINE);

  private JavaHomes() {}

  static Path find(int minFeature) {
    if (Runtime.version().feature() >= minFeature) {
      return Path.of(System.getProperty("java.home"));
    }
    return candidates().stream()
        .filter(home -> feature(home) >= minFeature)
        .max(Comparator.comparingInt(JavaHomes::feature))
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "no JDK "
                        + minFeature
                        + "+ found: this JVM is "
                        + Runtime.version().feature()
                        + " and /usr/lib/jvm has none; set -Des.java.home"));
  }

  private static List<Path> candidates() {
    try (Stream<Path> dirs = Files.list(Path.of("/usr/lib/jvm"))) {
      return dirs.filter(d -> Files.isExecutable(d.resolve("bin/java"))).toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  /** The feature version from {@code $home/release}, or 0 when unreadable. */
  private static int feature(Path home) {
    try {
      Matcher m = VERSION.matcher(Files.readString(home.resolve("release")));
      return m.find() ? Integer.parseInt(m.group(1)) : 0;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  static Optional<Path> configured() {
    String home = System.getProperty("es.java.home", System.getenv("ES_JAVA_HOME"));
    return home == null || home.isBlank() ? Optional.empty() : Optional.of(Path.of(home));
  }
}
