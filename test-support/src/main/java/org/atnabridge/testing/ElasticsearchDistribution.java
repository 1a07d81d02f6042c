package org.atnabridge.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Enumeration;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Locates the unpacked Elasticsearch integ-test distribution, unpacking the zip from the local
 * Maven repository when only the zip is at hand (an IDE run). Lookup order:
 *
 * <ol>
 *   <li>{@code -Des.home}: an unpacked distribution (what the module's pom passes);
 *   <li>{@code -Des.dist.zip}: the zip, unpacked under {@code -Des.dist.unpack.dir} (default {@code
 *       target/es-dist} of the working directory, i.e. the module);
 *   <li>{@code <local repo>/org/elasticsearch/distribution/integ-test-zip/elasticsearch/V/
 *       elasticsearch-V.zip}, the local repo being {@code -Dmaven.repo.local} or {@code
 *       ~/.m2/repository} and V {@code -Des.version} (default {@value #DEFAULT_VERSION}).
 * </ol>
 *
 * <p>Never unpacked under {@code ~/.m2}: as root the node runs as another uid, which cannot
 * traverse {@code /root}.
 */
final class ElasticsearchDistribution {

  static final String DEFAULT_VERSION = "9.2.0";

  private ElasticsearchDistribution() {}

  static Path locate() {
    String home = System.getProperty("es.home");
    if (home != null && !home.isBlank()) {
      Path dir = Path.of(home).toAbsolutePath();
      if (!Files.isRegularFile(dir.resolve("bin/elasticsearch"))) {
        throw new IllegalStateException(
            "-Des.home="
                + dir
                + " is not an unpacked Elasticsearch distribution "
                + "(no bin/elasticsearch); did maven-dependency-plugin:unpack run?");
      }
      return dir;
    }
    Path zip = zip();
    Path into =
        Path.of(System.getProperty("es.dist.unpack.dir", "target/es-dist")).toAbsolutePath();
    return unpack(zip, into);
  }

  private static Path zip() {
    String configured = System.getProperty("es.dist.zip");
    String version = System.getProperty("es.version", DEFAULT_VERSION);
    Path zip =
        configured != null && !configured.isBlank()
            ? Path.of(configured)
            : localRepository()
                .resolve("org/elasticsearch/distribution/integ-test-zip/elasticsearch")
                .resolve(version)
                .resolve("elasticsearch-" + version + ".zip");
    if (!Files.isRegularFile(zip)) {
      throw new IllegalStateException(
          "Elasticsearch distribution zip not found at "
              + zip
              + ": add the maven-dependency-plugin execution from ElasticsearchExtension's javadoc to the module's pom,"
              + " or fetch it with ./mvnw dependency:get"
              + " -Dartifact=org.elasticsearch.distribution.integ-test-zip:elasticsearch:"
              + version
              + ":zip");
    }
    return zip;
  }

  private static Path localRepository() {
    String repo = System.getProperty("maven.repo.local");
    return repo != null && !repo.isBlank()
        ? Path.of(repo)
        : Path.of(System.getProperty("user.home"), ".m2", "repository");
  }

  /**
   * Unpacks into a private directory first and moves it into place, so a half-unpacked tree is
   * never used.
   */
  private static Path unpack(Path zip, Path into) {
    String name = zip.getFileName().toString().replaceFirst("\\.zip$", "");
    Path home = into.resolve(name);
    if (Files.isRegularFile(home.resolve("bin/elasticsearch"))) {
      return home;
    }
    try {
      Files.createDirectories(into);
      Path tmp = Files.createTempDirectory(into, ".unpack-");
      try (ZipFile zf = new ZipFile(zip.toFile())) {
        Enumeration<? extends ZipEntry> entries = zf.entries();
        while (entries.hasMoreElements()) {
          ZipEntry e = entries.nextElement();
          Path out = tmp.resolve(e.getName()).normalize();
          if (!out.startsWith(tmp)) {
            throw new IOException("zip entry outside the target: " + e.getName());
          }
          if (e.isDirectory()) {
            Files.createDirectories(out);
          } else {
            Files.createDirectories(out.getParent());
            try (InputStream in = zf.getInputStream(e)) {
              Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
            }
          }
        }
      }
      Path unpacked;
      try (Stream<Path> top = Files.list(tmp)) {
        unpacked =
            top.filter(Files::isDirectory)
                .findFirst()
                .orElseThrow(() -> new IOException("empty distribution zip " + zip));
      }
      // java.util.zip drops the unix modes: the scripts must be executable again
      try (Stream<Path> bins = Files.list(unpacked.resolve("bin"))) {
        for (Path b : bins.toList()) {
          Files.setPosixFilePermissions(b, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
      }
      try {
        Files.move(unpacked, home, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException raced) {
        if (!Files.isRegularFile(home.resolve("bin/elasticsearch"))) {
          throw raced;
        }
      }
      NodeFiles.deleteTree(tmp);
      return home;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unpack " + zip + " into " + into, e);
    }
  }
}
