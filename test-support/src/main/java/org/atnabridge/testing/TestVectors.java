package org.atnabridge.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shared, read-only corpus of real public ATNA messages ({@code ../shared/test-vectors} beside
 * the repository; {@code MANIFEST.md} there names each source). Tests read it in place and never
 * write to it. Override the location with {@code -Datna.test-vectors=DIR}.
 */
public final class TestVectors {

  private static final Path ROOT = locate();

  private TestVectors() {}

  public static Path root() {
    return ROOT;
  }

  public static Path path(String relative) {
    Path p = ROOT.resolve(relative);
    if (!Files.isRegularFile(p)) {
      throw new IllegalStateException("test vector missing: " + p);
    }
    return p;
  }

  public static byte[] bytes(String relative) {
    try {
      return Files.readAllBytes(path(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path locate() {
    String configured = System.getProperty("atna.test-vectors");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("shared").resolve("test-vectors");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "shared/test-vectors not found in any folder above "
            + Path.of("").toAbsolutePath()
            + "; set -Datna.test-vectors=DIR");
  }
}
