package org.atnabridge.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.atnabridge.schemas.vocab.CodeSystems;
import org.atnabridge.schemas.vocab.Extensions;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.Coding;
import org.junit.jupiter.api.Test;

/** The contracts other modules and external consumers rely on: names, headers, wire format. */
class WireContractsTest {

  @Test
  void topics_keepTheirPublishedNames_andReferenceTopicsAreCompacted() {
    Map<String, NewTopic> topics =
        Topics.newTopics((short) 1).stream().collect(Collectors.toMap(NewTopic::name, t -> t));
    assertThat(topics)
        .containsKeys(
            "atna.raw", "audit.events", "audit.enriched", "audit.dlq", "audit.checkpoints");
    assertThat(topics.get("audit.dlq").configs()).containsEntry("retention.ms", "-1");
    assertThat(topics.values())
        .filteredOn(t -> t.name().startsWith("reference."))
        .isNotEmpty()
        .allSatisfy(t -> assertThat(t.configs()).containsEntry("cleanup.policy", "compact"));
  }

  @Test
  void rawMetadata_fromHeaders_readsWhatIngestWrote() {
    Headers h = new RecordHeaders();
    RawHeaders.put(h, RawHeaders.TRANSPORT, "tls");
    RawHeaders.put(h, RawHeaders.PEER, "10.0.0.7:40000");
    RawHeaders.put(h, RawHeaders.RECEIVED_AT, "2026-11-27T10:00:00.123456Z");
    RawHeaders.put(h, RawHeaders.LISTENER, "syslog-tls:6514");
    RawMetadata m = RawMetadata.fromHeaders(h, 0);
    assertThat(m)
        .isEqualTo(
            new RawMetadata(
                "tls",
                "10.0.0.7:40000",
                Instant.parse("2026-11-27T10:00:00.123456Z"),
                "syslog-tls:6514"));
  }

  @Test
  void rawMetadata_badOrMissingHeaders_neverLoseTheRecord() {
    Headers h = new RecordHeaders();
    RawHeaders.put(h, RawHeaders.RECEIVED_AT, "yesterday-ish");
    RawMetadata m = RawMetadata.fromHeaders(h, 1_700_000_000_000L);
    assertThat(m.transport()).isEqualTo("unknown");
    assertThat(m.peer()).isNull();
    assertThat(m.receivedAt()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
  }

  @Test
  void auditEventSerde_roundTrips_andRejectsWhatIsNotAnAuditEvent() {
    AuditEvent e = new AuditEvent();
    e.setId("abc");
    e.setRecorded(Date.from(Instant.parse("2026-11-27T10:00:00Z")));
    e.setCode(new CodeableConcept(new Coding(CodeSystems.DCM, "110110", "Patient Record")));
    RawRecordReference.of("atna.raw", 2, 42L).applyTo(e);
    AuditEventSerde serde = new AuditEventSerde();
    byte[] wire = serde.serializer().serialize("audit.events", e);
    assertThat(new String(wire, StandardCharsets.UTF_8))
        .startsWith("{\"resourceType\":\"AuditEvent\",\"id\":\"abc\"");
    AuditEvent back = serde.deserializer().deserialize("audit.events", wire);
    assertThat(serde.serializer().serialize("audit.events", back))
        .isEqualTo(wire); // stable wire format
    assertThat(back.getIdPart()).isEqualTo("abc");
    assertThat(RawRecordReference.from(back)).isEqualTo(new RawRecordReference("atna.raw", 2, 42L));
    assertThatThrownBy(
            () ->
                serde
                    .deserializer()
                    .deserialize("audit.events", "<xml/>".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(SerializationException.class);
    assertThat(serde.serializer().serialize("t", null)).isNull();
  }

  @Test
  void rawRecordReference_replacesAnEarlierOne() {
    AuditEvent e = new AuditEvent();
    RawRecordReference.of("atna.raw", 0, 1).applyTo(e);
    RawRecordReference.of("atna.raw", 1, 7).applyTo(e);
    assertThat(e.getExtensionsByUrl(Extensions.RAW_RECORD)).hasSize(1);
    assertThat(RawRecordReference.from(e)).isEqualTo(new RawRecordReference("atna.raw", 1, 7));
  }
}
