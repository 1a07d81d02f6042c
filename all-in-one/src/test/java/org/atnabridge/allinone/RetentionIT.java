package org.atnabridge.allinone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.atnabridge.schemas.vocab.CodeSystems;
import org.atnabridge.search.feed.KafkaAuditEventFeed;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.Reference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve --retention 30d --retention-check-interval 1s}: the pipeline's scheduler deletes an
 * event recorded 400 days ago and keeps one of the same age on legal hold and a recent one. Events
 * enter through the FHIR Feed (the held one, which a feed client may not mark, through {@code
 * audit.posted} as the operator), so they take the whole path (audit.posted, streams,
 * audit.enriched, indexer) before retention sees them.
 */
class RetentionIT {

  @TempDir Path dataDir;

  @Test
  void scheduledRetention_deletesOldEvents_keepsLegalHoldAndRecent() {
    PipelineConfig config =
        PipelineConfig.builder(dataDir)
            .http("127.0.0.1", 0)
            .syslog("127.0.0.1", 0, 0)
            .kafkaPort(0)
            .build();
    try (Pipeline pipeline = new Pipeline(config, RetentionSettings.parse("30d", "1s")).start()) {
      // the feed (c) to post the events, read (rs) to see which are left
      IGenericClient client =
          EndToEndContract.client(pipeline, "system/AuditEvent.rs system/AuditEvent.c");
      Instant old = Instant.now().minus(Duration.ofDays(400));
      AuditEvent heldEvent = event("held", old);
      heldEvent.getMeta().addTag(CodeSystems.RETENTION, CodeSystems.LEGAL_HOLD, "Legal hold");
      // legal hold is the operator's decision: a feed client cannot set it ...
      assertThatThrownBy(() -> client.create().resource(heldEvent).execute())
          .isInstanceOf(UnprocessableEntityException.class);
      String expired =
          client.create().resource(event("expired", old)).execute().getId().getIdPart();
      // ... the operator, who has write access to the topics, can
      String held = "held-by-operator";
      heldEvent.setId(held);
      try (KafkaAuditEventFeed operator =
          new KafkaAuditEventFeed(
              Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.bootstrapServers()))) {
        operator.publish(List.of(heldEvent));
      }
      String recent =
          client
              .create()
              .resource(event("recent", Instant.now().minus(Duration.ofDays(1))))
              .execute()
              .getId()
              .getIdPart();

      // the counter moves only when an indexed event is deleted: the expired one went through the
      // index
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .ignoreExceptionsInstanceOf(ResourceNotFoundException.class)
          .untilAsserted(
              () -> { // 404 until indexed
                assertThat(read(client, held)).isNotNull();
                assertThat(read(client, recent)).isNotNull();
                assertThat(
                        pipeline.meterRegistry().get("audit.retention.deleted").counter().count())
                    .isEqualTo(1.0);
              });
      assertThatThrownBy(() -> read(client, expired)).isInstanceOf(ResourceNotFoundException.class);
      assertThat(pipeline.meterRegistry().get("audit.retention.failures").counter().count())
          .isZero();
    }
  }

  private static AuditEvent read(IGenericClient client, String id) {
    return client.read().resource(AuditEvent.class).withId(id).execute();
  }

  static AuditEvent event(String user, Instant recorded) {
    AuditEvent e = new AuditEvent();
    e.setRecorded(Date.from(recorded));
    e.setAction(AuditEvent.AuditEventAction.R);
    e.setCode(new CodeableConcept(new Coding(CodeSystems.DCM, "110110", "Patient Record")));
    e.addCategory(new CodeableConcept(new Coding(CodeSystems.DCM, "110110", "Patient Record")));
    e.setOutcome(
        new AuditEvent.AuditEventOutcomeComponent(
            new Coding(CodeSystems.AUDIT_EVENT_OUTCOME, "0", "Success")));
    e.addAgent()
        .setWho(
            new Reference().setIdentifier(new Identifier().setSystem("urn:users").setValue(user)));
    e.getSource()
        .setObserver(
            new Reference()
                .setIdentifier(new Identifier().setSystem("urn:hosts").setValue("ehr-1")));
    return e;
  }
}
