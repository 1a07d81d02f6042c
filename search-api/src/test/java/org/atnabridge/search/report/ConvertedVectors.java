package org.atnabridge.search.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.atnabridge.atna.AtnaConverter;
import org.atnabridge.atna.ConversionException;
import org.atnabridge.schemas.RawMetadata;
import org.atnabridge.testing.TestVectors;
import org.hl7.fhir.r5.model.AuditEvent;

/** The DICOM and RFC 3881 messages of {@code ../shared/test-vectors} as the real converter stores them. */
final class ConvertedVectors {

  private ConvertedVectors() {}

  static List<AuditEvent> events() {
    AtnaConverter converter = new AtnaConverter();
    RawMetadata meta = new RawMetadata("tcp", "10.1.2.3:40000", Instant.parse("2026-11-27T10:00:00Z"), "syslog-tcp");
    List<AuditEvent> events = new ArrayList<>();
    for (String dir : List.of("dicom-audit-xml", "rfc3881-legacy-xml")) {
      try (Stream<Path> files = Files.list(TestVectors.root().resolve(dir))) {
        for (Path file : files.filter(p -> p.toString().endsWith(".xml")).sorted().toList()) {
          events.addAll(converter.convert(Files.readAllBytes(file), meta));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (ConversionException e) {
        throw new IllegalStateException(e);
      }
    }
    return events;
  }
}
