package org.atnabridge.bench.ipf;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openehealth.ipf.commons.audit.model.AuditMessage;
import org.openehealth.ipf.commons.audit.unmarshal.dicom.DICOMAuditParser;
import org.openehealth.ipf.commons.ihe.fhir.support.audit.marshal.BalpJsonSerializationStrategy;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The IPF 5.1.0 baseline for the converter: {@code DICOMAuditParser} (JDOM, no XSD validation) +
 * the BALP JSON serializer ({@code BalpJsonSerializationStrategy}, HAPI R4) over the same
 * DICOM-format payloads as {@code AtnaConverterBenchmarks.dicomMixToJson}: the {@code
 * dicom-audit-xml} files except {@value #UNREADABLE} (IPF throws "code of CodedValueType must be
 * not null" on its RFC 3881 {@code code=} attributes, as on every rfc3881-legacy-xml file) and the
 * XML of the syslog-framed one — IPF takes XML text, not syslog frames. 22 messages; one operation
 * = one message.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx512m"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class IpfBenchmarks {

  static final String UNREADABLE = "ipf-fhir-atna-record-1.xml";

  private final DICOMAuditParser parser = new DICOMAuditParser();
  private final BalpJsonSerializationStrategy balp =
      new BalpJsonSerializationStrategy(FhirContext.forR4Cached());
  private String[] messages;
  private int next;

  @Setup
  public void load() throws IOException {
    messages = payloads().toArray(String[]::new);
  }

  /**
   * Parse + translate to a BALP-shaped R4 AuditEvent + serialize to JSON, one message of the mix.
   */
  @Benchmark
  public void dicomMixToJson(Blackhole bh) throws IOException {
    String xml = messages[next];
    next = next + 1 == messages.length ? 0 : next + 1;
    AuditMessage message = parser.parse(xml, false);
    StringWriter out = new StringWriter(4096);
    balp.marshal(message, out, false);
    bh.consume(out.toString());
  }

  /** The XML payloads, in the same order as bench's {@code BenchData.dicomMix}. */
  static List<String> payloads() throws IOException {
    Path root = corpus();
    List<String> out = new ArrayList<>();
    for (String folder : List.of("dicom-audit-xml", "syslog-framed")) {
      try (Stream<Path> files = Files.list(root.resolve(folder))) {
        for (Path p :
            files
                .filter(Files::isRegularFile)
                .filter(f -> !f.getFileName().toString().equals(UNREADABLE))
                .sorted()
                .toList()) {
          String text = Files.readString(p, StandardCharsets.UTF_8);
          int xml = text.indexOf("<?xml");
          out.add(xml > 0 ? text.substring(xml) : text);
        }
      }
    }
    return out;
  }

  /**
   * {@code shared/test-vectors} in a folder above the working directory, or {@code
   * -Datna.test-vectors}.
   */
  static Path corpus() {
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
        "shared/test-vectors not found above " + Path.of("").toAbsolutePath());
  }
}
