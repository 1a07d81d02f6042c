package org.atnabridge.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.atnabridge.atna.AtnaConverter;
import org.atnabridge.atna.ConversionException;
import org.atnabridge.schemas.RawMetadata;
import org.atnabridge.testing.TestVectors;
import org.hl7.fhir.r5.model.AuditEvent;

/**
 * The shared corpus ({@code ../shared/test-vectors}: DICOM and RFC 3881 audit messages) converted
 * by the real {@link AtnaConverter}, as the pipeline stores them; ids are prefixed {@code tv-} so
 * they cannot collide with the hand-made events of a suite.
 */
public final class TestVectorEvents {

  private TestVectorEvents() {}

  public static List<AuditEvent> load() {
    return byVector().values().stream().flatMap(List::stream).toList();
  }

  /**
   * The events of each vector, by its path under the corpus root ({@code dicom-audit-xml/x.xml}).
   */
  public static Map<String, List<AuditEvent>> byVector() {
    Map<String, List<AuditEvent>> byVector = new LinkedHashMap<>();
    AtnaConverter converter = new AtnaConverter();
    RawMetadata meta =
        new RawMetadata(
            "tcp", "10.1.2.3:40000", Instant.parse("2026-11-27T10:00:00Z"), "syslog-tcp");
    for (String dir : List.of("dicom-audit-xml", "rfc3881-legacy-xml")) {
      List<Path> files;
      try (Stream<Path> s = Files.list(TestVectors.root().resolve(dir))) {
        files = s.filter(p -> p.toString().endsWith(".xml")).sorted().toList();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      for (Path file : files) {
        try {
          List<AuditEvent> events = new ArrayList<>();
          for (AuditEvent e : converter.convert(Files.readAllBytes(file), meta)) {
            e.setId("tv-" + e.getIdPart());
            events.add(e);
          }
          byVector.put(dir + "/" + file.getFileName(), List.copyOf(events));
        } catch (ConversionException | IOException e) {
          throw new IllegalStateException(file + " does not convert: " + e.getMessage(), e);
        }
      }
    }
    return byVector;
  }
}
