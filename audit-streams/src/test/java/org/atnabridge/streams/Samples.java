package org.atnabridge.streams;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.atnabridge.atna.AtnaConverter;
import org.atnabridge.atna.ConversionException;
import org.atnabridge.schemas.RawMetadata;
import org.atnabridge.testing.TestVectors;
import org.hl7.fhir.r5.model.AuditEvent;

/** Distinct ATNA messages and their AuditEvents for the streams tests, from the shared corpus. */
public final class Samples {

  public static final String PATIENT_SYSTEM = "urn:oid:2.16.840.1.113883.3.37.4.1.1.2.411.1";
  public static final String PATIENT_VALUE = "7627199";
  public static final String USER_ID = "PKL|SAP-ISH";
  public static final String SOURCE_ID = "MPI";

  /** The sender of the sample events (event ids include the sender's address). */
  public static final String PEER = "10.1.2.3:4000";

  private static final String PIXFEED =
      new String(TestVectors.bytes("dicom-audit-xml/ipf-pixfeed.xml"), StandardCharsets.UTF_8);

  /** Reference data for the pixfeed samples (the CSV format of {@code ReferenceFile}). */
  public static final String REFERENCE_CSV =
      """
      kind,id,system,value,display,confidentiality,flags
      practitioner,pkl,,PKL|SAP-ISH,Dr. Petra Keller,,
      patient,pat-7627199,urn:oid:2.16.840.1.113883.3.37.4.1.1.2.411.1,7627199,Hans Zimmermann,R,VIP;EMPLOYEE
      device,mpi,,MPI,Master Patient Index,,
      device,gw,,127.0.0.1,Local gateway,,
      """;

  private Samples() {}

  /**
   * The ipf-pixfeed message made unique by {@code n} (EventDateTime and the MSH-10 detail differ).
   */
  public static byte[] pixFeed(int n) {
    String time = Instant.parse("2020-03-19T12:24:34.434Z").plusMillis(n).toString();
    return PIXFEED
        .replace("2020-03-19T12:24:34.434Z", time)
        .replace(
            "value=\"MTIzNDU2\"",
            "value=\""
                + java.util.Base64.getEncoder()
                    .encodeToString(("m" + n).getBytes(StandardCharsets.UTF_8))
                + "\"")
        .getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Pixfeed message {@code n} about patient {@code value^^^&oid&ISO} (HL7 v2 CX: the assigning
   * authority's OID).
   */
  public static byte[] pixFeedForPatient(int n, String value, String oid) {
    return new String(pixFeed(n), StandardCharsets.UTF_8)
        .replace(
            "7627199^^^HZLN&amp;2.16.840.1.113883.3.37.4.1.1.2.411.1&amp;ISO",
            value + "^^^&amp;" + oid + "&amp;ISO")
        .getBytes(StandardCharsets.UTF_8);
  }

  public static byte[] pixFeedWithSensitivity(int n, String sensitivity) {
    return new String(pixFeed(n), StandardCharsets.UTF_8)
        .replace(
            "ParticipantObjectTypeCodeRole=\"1\"",
            "ParticipantObjectTypeCodeRole=\"1\" ParticipantObjectSensitivity=\""
                + sensitivity
                + "\"")
        .getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Every message of the shared corpus (DICOM, RFC 3881 and framed syslog; convertible or not),
   * then 20 pixfeed messages that the {@link #REFERENCE_CSV} matches, 20 with a V sensitivity.
   */
  public static List<byte[]> corpus() throws java.io.IOException {
    List<byte[]> out = new java.util.ArrayList<>();
    for (String folder : List.of("dicom-audit-xml", "rfc3881-legacy-xml", "syslog-framed")) {
      try (java.util.stream.Stream<java.nio.file.Path> files =
          java.nio.file.Files.list(TestVectors.root().resolve(folder))) {
        for (java.nio.file.Path p :
            files.filter(java.nio.file.Files::isRegularFile).sorted().toList()) {
          byte[] bytes = java.nio.file.Files.readAllBytes(p);
          try {
            out.add(
                folder.equals("syslog-framed")
                    ? org.atnabridge.atna.OctetCountedFrame.strip(bytes)
                    : bytes);
          } catch (ConversionException e) {
            out.add(bytes);
          }
        }
      }
    }
    for (int i = 0; i < 20; i++) {
      out.add(pixFeed(i));
      out.add(pixFeedWithSensitivity(100 + i, "V"));
    }
    return out;
  }

  public static AuditEvent event(int n) {
    return convert(pixFeed(n));
  }

  public static AuditEvent convert(byte[] message) {
    try {
      List<AuditEvent> events =
          new AtnaConverter()
              .convert(
                  message,
                  new RawMetadata(
                      "tcp", PEER, Instant.parse("2026-01-01T00:00:00Z"), "syslog-tcp:5514"));
      return events.get(0);
    } catch (ConversionException e) {
      throw new AssertionError(e);
    }
  }
}
