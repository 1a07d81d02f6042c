package org.atnabridge.bench;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
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
  public RawMetadata metadata;

  @Setup
  public void load() {
    byte[] header = "<85>1 2026-11-27T10:00:00.123Z node1.example.org app 42 IHE+RFC-3881 - "
        .getBytes(StandardCharsets.US_ASCII);
    byte[] xml = TestVectors.bytes("dicom-audit-xml/ipf-pixfeed.xml");
    pixFeedSyslog = new byte[header.length + xml.length];
    System.arraycopy(header, 0, pixFeedSyslog, 0, header.length);
    System.arraycopy(xml, 0, pixFeedSyslog, header.length, xml.length);
    pdqQueryXml = TestVectors.bytes("dicom-audit-xml/ahdis-iti-47-atna.xml");
    metadata = new RawMetadata("tcp", "127.0.0.1:40000", Instant.parse("2026-11-27T10:00:00Z"), "syslog-tcp:5514");
  }
}
