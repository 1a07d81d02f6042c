package org.atnabridge.search.security;

import ca.uhn.fhir.rest.api.EncodingEnum;
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
import org.atnabridge.search.TestVectorEvents;
import org.atnabridge.search.feed.FeedRequests;
import org.atnabridge.testing.TestVectors;
import org.hl7.fhir.r5.model.AuditEvent;

/**
 * What the ITI-81 R4 tests search: the converted test vectors (DICOM and RFC 3881 messages, as the
 * pipeline stores them), the BALP R4 examples as the R4 feed stores them (converted to R5), and one
 * event as a real ATNA sender sends it (DICOM {@code NetworkAccessPointID="10.1.1.7"}, type 2); by
 * the vector each came from.
 */
final class Iti81Corpus {

  /** The sender event's vector name in the tables. */
  static final String SENDER = "ATNA sender, NetworkAccessPointID 10.1.1.7 type 2";

  static final String SENDER_XML =
      """
      <?xml version="1.0" encoding="UTF-8"?>
      <AuditMessage>
        <EventIdentification EventActionCode="E" EventDateTime="2026-03-02T09:15:00Z" EventOutcomeIndicator="0">
          <EventID csd-code="110112" codeSystemName="DCM" originalText="Query"/>
          <EventTypeCode csd-code="ITI-9" codeSystemName="IHE Transactions" originalText="PIX Query"/>
        </EventIdentification>
        <ActiveParticipant UserID="pix-client" UserIsRequestor="true" NetworkAccessPointID="10.1.1.7" NetworkAccessPointTypeCode="2">
          <RoleIDCode csd-code="110153" codeSystemName="DCM" originalText="Source Role ID"/>
        </ActiveParticipant>
        <ActiveParticipant UserID="pix-manager" UserIsRequestor="false" NetworkAccessPointID="2001:db8::1" NetworkAccessPointTypeCode="2">
          <RoleIDCode csd-code="110152" codeSystemName="DCM" originalText="Destination Role ID"/>
        </ActiveParticipant>
        <AuditSourceIdentification AuditSourceID="sender-node"/>
        <ParticipantObjectIdentification ParticipantObjectID="sender-patient^^^&amp;1.2.3.4.5&amp;ISO" ParticipantObjectTypeCode="1" ParticipantObjectTypeCodeRole="1">
          <ParticipantObjectIDTypeCode csd-code="2" codeSystemName="RFC-3881" originalText="Patient Number"/>
        </ParticipantObjectIdentification>
      </AuditMessage>
      """;

  private Iti81Corpus() {}

  static Map<String, List<AuditEvent>> load() {
    Map<String, List<AuditEvent>> byVector = new LinkedHashMap<>(TestVectorEvents.byVector());
    byVector.putAll(balpExamples());
    try {
      List<AuditEvent> sender =
          new AtnaConverter()
              .convert(
                  SENDER_XML.strip().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                  new RawMetadata(
                      "tls", "10.1.1.7:50514", Instant.parse("2026-03-02T09:15:01Z"), "syslog"));
      sender.forEach(e -> e.setId("sender-" + e.getIdPart()));
      byVector.put(SENDER, sender);
    } catch (ConversionException e) {
      throw new IllegalStateException(e);
    }
    return byVector;
  }

  /** The BALP 1.1.4 R4 examples as the R4 feed stores them. */
  private static Map<String, List<AuditEvent>> balpExamples() {
    Map<String, List<AuditEvent>> out = new LinkedHashMap<>();
    List<Path> files;
    try (Stream<Path> s = Files.list(TestVectors.root().resolve("balp-r4-examples"))) {
      files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (Path file : files) {
      try {
        AuditEvent e =
            FeedRequests.parseR4(Files.readString(file), EncodingEnum.JSON, AuditEvent.class);
        e.setId("balp-" + e.getIdPart());
        out.put("balp-r4-examples/" + file.getFileName(), List.of(e));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  static List<AuditEvent> all(Map<String, List<AuditEvent>> byVector) {
    List<AuditEvent> all = new ArrayList<>();
    byVector.values().forEach(all::addAll);
    return all;
  }
}
