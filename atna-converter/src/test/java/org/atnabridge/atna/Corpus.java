package org.atnabridge.atna;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.atnabridge.schemas.RawMetadata;
import org.atnabridge.testing.TestVectors;

/** The ATNA messages of the shared corpus ({@link TestVectors}) that the converter must accept. */
public final class Corpus {

  /** The folders holding ATNA messages (the others hold FHIR resources and schemas). */
  public static final List<String> FOLDERS =
      List.of("dicom-audit-xml", "rfc3881-legacy-xml", "syslog-framed");

  /** Fixed receive metadata, so converted events (and goldens) do not depend on the clock. */
  public static final RawMetadata META =
      new RawMetadata("tls", "10.1.2.3:50123", Instant.parse("2025-04-18T09:04:01Z"), "tls-6514");

  private Corpus() {}

  /** Every message as {@code folder/file}, sorted. */
  public static List<String> vectors() {
    return FOLDERS.stream().flatMap(f -> list(f).stream()).toList();
  }

  public static List<String> list(String folder) {
    try (Stream<Path> s = Files.list(TestVectors.root().resolve(folder))) {
      List<String> files =
          s.filter(Files::isRegularFile).map(p -> folder + "/" + p.getFileName()).sorted().toList();
      if (files.isEmpty()) {
        throw new IllegalStateException("no test vectors in " + folder);
      }
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static byte[] bytes(String vector) {
    return TestVectors.bytes(vector);
  }

  /**
   * The syslog message of a vector: syslog-framed ones are octet-counted frames (RFC 5425) the
   * listener strips.
   */
  public static byte[] message(String vector) throws ConversionException {
    byte[] bytes = TestVectors.bytes(vector);
    return vector.startsWith("syslog-framed/") ? OctetCountedFrame.strip(bytes) : bytes;
  }
}
