package org.atnabridge.store.relabel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.atnabridge.store.TestEvents.MRN;
import static org.atnabridge.store.TestEvents.OTHER;
import static org.atnabridge.store.TestEvents.event;
import static org.atnabridge.store.TestEvents.withPatient;
import static org.atnabridge.store.TestEvents.withPatientReference;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.schemas.Topics;
import org.atnabridge.schemas.vocab.CodeSystems;
import org.atnabridge.store.AuditQuery;
import org.atnabridge.store.AuditStore;
import org.atnabridge.store.IdentifierToken;
import org.atnabridge.store.SearchField;
import org.atnabridge.store.indexer.AuditIndexer;
import org.atnabridge.testing.KafkaBrokerExtension;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.Patient;
import org.junit.jupiter.api.Test;

/**
 * The relabel job with the indexer over one engine and a real Kafka broker: a patient raised to V
 * in reference data takes its stored events out of an uncleared caller's reach, including one that
 * reaches the indexer only after the change, and a restart neither loses the table nor sweeps
 * again.
 */
public abstract class PatientRelabelerContract {

  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  static final Duration TIMEOUT = Duration.ofSeconds(60);
  static final String CONF = CodeSystems.V3_CONFIDENTIALITY;

  protected abstract AuditStore store();

  protected abstract EmbeddedKafkaBroker kafka();

  /** Makes what the indexer wrote searchable (Elasticsearch refreshes on its interval). */
  protected void refresh() {}

  @Test
  void patientRaisedToV_earlierEventsRelabelled_laterIndexedToo_restartSafe() throws Exception {
    String events = "relabel-events-" + getClass().getSimpleName();
    String patients = "relabel-patients-" + getClass().getSimpleName();
    KafkaBrokerExtension.createTopics(kafka(), 1, events, patients, Topics.AUDIT_DLQ.name());
    AuditStore store = store();
    AuditEvent asEntity = event("pv-entity", T0);
    asEntity
        .addEntity()
        .setWhat(
            new org.hl7.fhir.r5.model.Reference()
                .setIdentifier(
                    new org.hl7.fhir.r5.model.Identifier().setSystem(MRN).setValue("pv")));
    store
        .writer()
        .write(
            List.of(
                withPatient(event("pv-1", T0), MRN, "pv"),
                withPatientReference(event("pv-2", T0.plusSeconds(1)), "Patient/PV"),
                asEntity,
                withPatient(event("other-system", T0), OTHER, "pv"),
                withPatient(event("other", T0), MRN, "px")));
    refresh();
    String storedJson = Fhir.toJson(store.search().read("pv-1").orElseThrow());
    Map<String, Object> config =
        Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka().bootstrapServers());
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    PatientLabelTable table = new PatientLabelTable();

    try (PatientRelabeler job =
            new PatientRelabeler(config, patients, store, table, meters, 2, 1000).start();
        AuditIndexer indexer =
            new AuditIndexer(
                    Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka().bootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "relabel-indexer"),
                    events,
                    store,
                    null)
                .raiseLabelsFrom(table)) {
      assertThat(job.awaitLoaded(TIMEOUT)).isTrue();
      indexer.start();
      send(patients, MRN + "|pv", patient("V"));
      await().atMost(TIMEOUT).until(() -> job.sweepCount() == 1);

      assertThat(job.relabelledCount()).isEqualTo(3);
      assertThat(meters.get("audit.relabel.events").functionCounter().count()).isEqualTo(3.0);
      assertThat(meters.get("audit.relabel.patients").gauge().value()).isEqualTo(1.0);
      assertThat(uncleared(store)).containsExactlyInAnyOrder("other-system", "other");
      assertThat(Fhir.toJson(store.search().read("pv-1").orElseThrow())).isEqualTo(storedJson);

      // converted (and enriched) before the change, indexed after it: labelled by the indexer
      send(
          events,
          "pv-late",
          Fhir.toJson(withPatient(event("pv-late", T0.plusSeconds(5)), MRN, "pv")));
      send(
          events,
          "px-late",
          Fhir.toJson(withPatient(event("px-late", T0.plusSeconds(5)), MRN, "px")));
      await()
          .atMost(TIMEOUT)
          .until(
              () -> {
                refresh();
                return store.search().read("px-late").isPresent()
                    && store.search().read("pv-late").isPresent();
              });
      assertThat(uncleared(store)).containsExactlyInAnyOrder("other-system", "other", "px-late");
    }

    // restart: the table is loaded again, the handled record is not swept again
    PatientLabelTable again = new PatientLabelTable();
    try (PatientRelabeler job =
        new PatientRelabeler(config, patients, store, again, null, 2, 1000).start()) {
      assertThat(job.awaitLoaded(TIMEOUT)).isTrue();
      assertThat(again.labelsFor(List.of("Patient/PV"))).containsExactly(CONF + "|V");
      assertThat(again.labelsFor(List.of(OTHER + "|pv", "pv"))).isEmpty(); // never a value alone
      send(patients, MRN + "|px", patient2());
      await().atMost(TIMEOUT).until(() -> job.sweepCount() == 1); // only the new record
      assertThat(uncleared(store)).containsExactlyInAnyOrder("other-system");
      assertThat(job.relabelledCount()).isEqualTo(2); // other, px-late
    }
  }

  private static Set<String> uncleared(AuditStore store) {
    Set<String> ids = new HashSet<>();
    store
        .search()
        .search(
            AuditQuery.builder()
                .limit(100)
                .notToken(SearchField.SECURITY, new IdentifierToken(CONF, "V"))
                .build())
        .events()
        .forEach(e -> ids.add(e.getIdElement().getIdPart()));
    return ids;
  }

  private static String patient(String confidentiality) {
    Patient p = new Patient();
    p.setId("PV");
    p.addIdentifier().setSystem(MRN).setValue("pv");
    p.getMeta().addSecurity(new Coding(CONF, confidentiality, null));
    return Fhir.jsonParser().encodeResourceToString(p);
  }

  private static String patient2() {
    Patient p = new Patient();
    p.setId("PX");
    p.addIdentifier().setSystem(MRN).setValue("px");
    p.getMeta().addSecurity(new Coding(CONF, "V", null));
    return Fhir.jsonParser().encodeResourceToString(p);
  }

  private void send(String topic, String key, String value) {
    try (KafkaProducer<byte[], byte[]> p =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka().bootstrapServers()),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      p.send(
          new ProducerRecord<>(
              topic, key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8)));
      p.flush();
    }
  }
}
