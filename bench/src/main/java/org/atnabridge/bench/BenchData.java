package org.atnabridge.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.atnabridge.atna.ConversionException;
import org.atnabridge.atna.OctetCountedFrame;
import org.atnabridge.schemas.RawMetadata;
import org.atnabridge.testing.TestVectors;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Real ATNA messages from the shared corpus, loaded once per benchmark run. */
@State(Scope.Benchmark)
public class BenchData {

  /** A 1.5 KB ITI-8 patient feed, pretty-printed, in an RFC 5424 frame as a node sends it. */
  public byte[] pixFeedSyslog;

  /** A 2.1 KB ITI-47 query with a base64 ParticipantObjectQuery, bare XML. */
  public byte[] pdqQueryXml;

  /**
   * The vector mix: every message of {@code dicom-audit-xml}, {@code rfc3881-legacy-xml} and {@code
   * syslog-framed} (octet-count prefix removed), in file-name order — 31 messages, 0.6–4 KB.
   */
  public byte[][] mix;

  /**
   * The IPF-comparable mix: the 22 messages IPF 5.1.0's DICOMAuditParser accepts — {@code
   * dicom-audit-xml} and the syslog-framed one, without {@value #IPF_UNREADABLE} (IPF fails on its
   * RFC 3881 {@code code=} attributes, as on every rfc3881-legacy-xml file); {@code bench-ipf} runs
   * exactly these payloads.
   */
  public byte[][] dicomMix;

  public RawMetadata metadata;

  /**
   * The one DICOM-folder vector IPF 5.1.0 cannot read ("code of CodedValueType must be not null").
   */
  public static final String IPF_UNREADABLE = "ipf-fhir-atna-record-1.xml";

  @Setup
  public void load() {
    byte[] header =
        "<85>1 2026-11-27T10:00:00.123Z node1.example.org app 42 IHE+RFC-3881 - "
            .getBytes(StandardCharsets.US_ASCII);
    byte[] xml = TestVectors.bytes("dicom-audit-xml/ipf-pixfeed.xml");
    pixFeedSyslog = new byte[header.length + xml.length];
    System.arraycopy(header, 0, pixFeedSyslog, 0, header.length);
    System.arraycopy(xml, 0, pixFeedSyslog, header.length, xml.length);
    pdqQueryXml = TestVectors.bytes("dicom-audit-xml/ahdis-iti-47-atna.xml");
    mix =
        messages("", "dicom-audit-xml", "rfc3881-legacy-xml", "syslog-framed")
            .toArray(byte[][]::new);
    dicomMix = messages(IPF_UNREADABLE, "dicom-audit-xml", "syslog-framed").toArray(byte[][]::new);
    metadata =
        new RawMetadata(
            "tcp", "127.0.0.1:40000", Instant.parse("2026-11-27T10:00:00Z"), "syslog-tcp:5514");
  }

  /** Every file of {@code folders} except one named {@code skip}, in file-name order. */
  static List<byte[]> messages(String skip, String... folders) {
    List<byte[]> out = new ArrayList<>();
    for (String folder : folders) {
      try (Stream<Path> files = Files.list(TestVectors.root().resolve(folder))) {
        for (Path p :
            files
                .filter(Files::isRegularFile)
                .filter(f -> !f.getFileName().toString().equals(skip))
                .sorted()
                .toList()) {
          byte[] bytes = Files.readAllBytes(p);
          out.add(folder.equals("syslog-framed") ? OctetCountedFrame.strip(bytes) : bytes);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (ConversionException e) {
        throw new IllegalStateException("corpus frame is not octet-counted: " + e.getMessage(), e);
      }
    }
    return out;
  }
}
