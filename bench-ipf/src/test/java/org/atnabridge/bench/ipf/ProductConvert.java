package org.atnabridge.bench.ipf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Our side of the comparison: the packaged product ({@code all-in-one/target/atna-bridge.jar}) run
 * as its own process, {@code atna-bridge convert --fhir-version R4 FILE}, one R4 AuditEvent per
 * NDJSON line. Nothing of the product is on this module's class path.
 */
final class ProductConvert {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path jar;
  private final Path work;

  ProductConvert(Path jar, Path work) {
    this.jar = jar;
    this.work = work;
  }

  /**
   * The jar the reactor builds before this module; absent means the comparison cannot run, which is
   * a failure, not a skip.
   */
  static Path packagedJar() {
    Path jar =
        Path.of("..", "all-in-one", "target", "atna-bridge.jar").toAbsolutePath().normalize();
    if (!Files.isRegularFile(jar)) {
      throw new AssertionError(
          "the packaged product "
              + jar
              + " is missing: build it first (./mvnw -B package -pl all-in-one -am -DskipTests),"
              + " or run bench-ipf in the reactor after all-in-one");
    }
    return jar;
  }

  /**
   * The JDK running this test (21+, this module's release), as the product's own process tests do.
   */
  static Path java() {
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }

  /** The R4 events our converter makes of {@code file}; fails with stderr on a non-zero exit. */
  List<JsonNode> convert(Path file) {
    return run(List.of("--fhir-version", "R4"), List.of(file));
  }

  /** The (default, R5) events our converter makes of {@code files}, in order. */
  List<JsonNode> convertR5(List<Path> files) {
    return run(List.of(), files);
  }

  private List<JsonNode> run(List<String> options, List<Path> files) {
    List<String> command =
        new ArrayList<>(List.of(java().toString(), "-Xmx256m", "-jar", jar.toString(), "convert"));
    command.addAll(options);
    files.forEach(f -> command.add(f.toString()));
    try {
      Path out = Files.createTempFile(work, "convert-", ".ndjson");
      Path err = Files.createTempFile(work, "convert-", ".err");
      Process p =
          new ProcessBuilder(command)
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        throw new AssertionError("did not finish: " + String.join(" ", command));
      }
      if (p.exitValue() != 0) {
        throw new AssertionError(
            String.join(" ", command)
                + " exited "
                + p.exitValue()
                + ":\n"
                + Files.readString(err, StandardCharsets.UTF_8));
      }
      List<JsonNode> events = new ArrayList<>();
      for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          events.add(JSON.readTree(line));
        }
      }
      return events;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
