package org.atnabridge.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.atnabridge.atna.AtnaConverter;
import org.atnabridge.atna.ConversionException;
import org.atnabridge.schemas.RawMetadata;
import org.atnabridge.schemas.RawRecordReference;
import org.atnabridge.testing.TestVectors;
import org.hl7.fhir.r5.model.AuditEvent;

/**
 * The shared corpus ({@code ../shared/test-vectors}: DICOM and RFC 3881 audit messages) converted
 * by the real {@link AtnaConverter}, as the pipeline would store it. Every third message arrives in
 * an RFC 5424 frame, so the syslog header fields are indexed too; every event carries the
 * raw-record reference the streams stage adds.
 */
public final class Corpus {

  public static final String HOST = "node1.example.org";
  private static final List<AuditEvent> EVENTS = load();

  private Corpus() {}

  /** Fresh copies (tests may modify them). */
  public static List<AuditEvent> events() {
    return EVENTS.stream().map(AuditEvent::copy).toList();
  }

  private static List<AuditEvent> load() {
    AtnaConverter converter = new AtnaConverter();
    RawMetadata meta =
        new RawMetadata(
            "tcp", "10.1.2.3:40000", Instant.parse("2026-11-27T10:00:00Z"), "syslog-tcp");
    List<Path> files = new ArrayList<>();
    for (String dir : List.of("dicom-audit-xml", "rfc3881-legacy-xml")) {
      try (Stream<Path> s = Files.list(TestVectors.root().resolve(dir))) {
        s.filter(p -> p.toString().endsWith(".xml")).sorted().forEach(files::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    List<AuditEvent> events = new ArrayList<>();
    int offset = 0;
    for (int i = 0; i < files.size(); i++) {
      byte[] xml;
      try {
        xml = Files.readAllBytes(files.get(i));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      byte[] frame = xml;
      if (i % 3 == 0) {
        byte[] header =
            ("<85>1 2026-11-27T10:00:00.123Z " + HOST + " ehr 42 IHE+RFC-3881 - ")
                .getBytes(StandardCharsets.US_ASCII);
        frame = new byte[header.length + xml.length];
        System.arraycopy(header, 0, frame, 0, header.length);
        System.arraycopy(xml, 0, frame, header.length, xml.length);
      }
      try {
        for (AuditEvent e : converter.convert(frame, meta)) {
          RawRecordReference.of("atna.raw", 0, offset).applyTo(e);
          events.add(e);
        }
      } catch (ConversionException e) {
        throw new IllegalStateException(files.get(i) + " does not convert: " + e.getMessage(), e);
      }
      offset++;
    }
    return List.copyOf(events);
  }
}
