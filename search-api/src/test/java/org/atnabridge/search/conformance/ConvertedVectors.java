package org.atnabridge.search.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.atnabridge.accesslog.AccessLogConversion;
import org.atnabridge.accesslog.AccessLogConverter;
import org.atnabridge.accesslog.AccessLogSource;
import org.atnabridge.accesslog.AccessLogSources;
import org.atnabridge.accesslog.LineOrigin;
import org.atnabridge.atna.AtnaConverter;
import org.atnabridge.atna.ConversionException;
import org.atnabridge.atna.OctetCountedFrame;
import org.atnabridge.schemas.RawMetadata;
import org.atnabridge.testing.TestVectors;
import org.hl7.fhir.r5.model.AuditEvent;

/**
 * Every event the converters make of the test inputs, by input: the ATNA messages of the shared
 * corpus (dicom-audit-xml, rfc3881-legacy-xml, syslog-framed) and the access log converter's golden
 * inputs, each with its source from their {@code sources.yaml}.
 */
public final class ConvertedVectors {

  /** One input file and the R5 events converted from it. */
  public record Vector(String name, List<AuditEvent> events) {}

  private static final List<String> ATNA_FOLDERS =
      List.of("dicom-audit-xml", "rfc3881-legacy-xml", "syslog-framed");

  /** The access log converter's golden inputs, beside this module. */
  private static final Path GOLDEN =
      Path.of("..", "access-log-converter", "src", "test", "resources", "golden");

  private static final RawMetadata META =
      new RawMetadata("tls", "10.1.2.3:50123", Instant.parse("2025-04-18T09:04:01Z"), "tls-6514");

  private static final LineOrigin ORIGIN =
      new LineOrigin(null, "192.0.2.1:514", Instant.parse("2026-12-01T12:00:00Z"));

  private ConvertedVectors() {}

  public static List<Vector> all() {
    List<Vector> out = new ArrayList<>(atna());
    out.addAll(accessLogs());
    return List.copyOf(out);
  }

  public static List<Vector> atna() {
    AtnaConverter converter = new AtnaConverter();
    List<Vector> out = new ArrayList<>();
    for (String folder : ATNA_FOLDERS) {
      for (Path file : files(TestVectors.root().resolve(folder))) {
        String name = folder + "/" + file.getFileName();
        try {
          byte[] bytes = Files.readAllBytes(file);
          byte[] message = folder.equals("syslog-framed") ? OctetCountedFrame.strip(bytes) : bytes;
          out.add(new Vector(name, converter.convert(message, META)));
        } catch (ConversionException | IOException e) {
          throw new IllegalStateException(name + " does not convert: " + e.getMessage(), e);
        }
      }
    }
    return out;
  }

  /** Each golden input ({@code <source>.<ext>} with a reviewed {@code .json} beside it). */
  public static List<Vector> accessLogs() {
    AccessLogConverter converter = new AccessLogConverter();
    List<Vector> out = new ArrayList<>();
    try {
      AccessLogSources sources =
          AccessLogSources.parse(Files.readString(GOLDEN.resolve("sources.yaml")));
      List<Path> inputs =
          files(GOLDEN).stream()
              .filter(p -> Files.isRegularFile(p.resolveSibling(p.getFileName() + ".json")))
              .toList();
      if (inputs.isEmpty()) {
        throw new IllegalStateException("no golden access log inputs in " + GOLDEN);
      }
      for (Path input : inputs) {
        String file = input.getFileName().toString();
        AccessLogSource source = sources.get(file.substring(0, file.lastIndexOf('.')));
        if (source == null) {
          throw new IllegalStateException("no source for " + file + " in sources.yaml");
        }
        List<AuditEvent> events = new ArrayList<>();
        for (String line : Files.readAllLines(input, StandardCharsets.UTF_8)) {
          if (converter.convert(line, source, ORIGIN) instanceof AccessLogConversion.Converted c) {
            events.addAll(c.events());
          }
        }
        out.add(new Vector("access-log/" + file, events));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private static List<Path> files(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> files = s.filter(Files::isRegularFile).sorted().toList();
      if (files.isEmpty()) {
        throw new IllegalStateException("no inputs in " + dir);
      }
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
