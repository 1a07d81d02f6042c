package org.atnabridge.atna;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The shared corpus at {@code <repo>/../shared/test-vectors}, resolved from the module directory. */
public final class TestVectors {

  private TestVectors() {}

  public static Path root() {
    Path root = Path.of("../../shared/test-vectors").toAbsolutePath().normalize();
    if (!Files.isDirectory(root)) {
      throw new IllegalStateException("test vectors not found at " + root
          + " (expected shared/test-vectors next to the repository; working dir " + Path.of("").toAbsolutePath() + ")");
    }
    return root;
  }

  public static Path file(String relative) {
    Path p = root().resolve(relative);
    if (!Files.isRegularFile(p)) {
      throw new IllegalStateException("test vector missing: " + p);
    }
    return p;
  }

  public static byte[] bytes(String relative) {
    try {
      return Files.readAllBytes(file(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every regular file of a corpus folder, as paths relative to the root, sorted. */
  public static List<String> list(String folder) {
    try (Stream<Path> s = Files.list(root().resolve(folder))) {
      List<String> files = s.filter(Files::isRegularFile).map(p -> folder + "/" + p.getFileName()).sorted().toList();
      if (files.isEmpty()) {
        throw new IllegalStateException("no test vectors in " + folder);
      }
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
