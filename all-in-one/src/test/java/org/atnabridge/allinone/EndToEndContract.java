package org.atnabridge.allinone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.atnabridge.schemas.DeadLetterHeaders;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.schemas.RawHeaders;
import org.atnabridge.schemas.Topics;
import org.atnabridge.schemas.vocab.CodeSystems;
import org.atnabridge.search.security.LocalIssuer;
import org.atnabridge.testing.TestVectors;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.Identifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walking skeleton, end to end through every module: an ATNA message sent over TCP syslog is
 * found by FHIR search. Each engine combination (Lucene + embedded Kafka, Elasticsearch + the test
 * broker) extends this class and says how to configure the pipeline.
 */
abstract class EndToEndContract {

  /** ipf-pixfeed.xml: ITI-8 feed, action C, outcome 0, source MPI, one patient. */
  static final String PIXFEED = "dicom-audit-xml/ipf-pixfeed.xml";

  static final String PATIENT_SYSTEM = "urn:oid:2.16.840.1.113883.3.37.4.1.1.2.411.1";
  static final String PATIENT_VALUE = "7627199";

  @TempDir Path dataDir;

  private final List<Pipeline> running = new ArrayList<>();

  /** A configuration on free ports for this engine combination. */
  abstract PipelineConfig config(Path dataDir);

  Pipeline start() {
    Pipeline p = new Pipeline(config(dataDir)).start();
    running.add(p);
    return p;
  }

  @AfterEach
  void stopAll() {
    running.forEach(Pipeline::close);
  }

  @Test
  void syslogMessage_isFoundByPatientIdentifier() {
    Pipeline pipeline = start();
    AtnaTraffic.sendOctetCounted(
        pipeline.syslogPort(), AtnaTraffic.syslog5424(TestVectors.bytes(PIXFEED)));

    Bundle found =
        awaitHits(pipeline, "patient:identifier=" + PATIENT_SYSTEM + "|" + PATIENT_VALUE, 1);
    AuditEvent event = (AuditEvent) found.getEntryFirstRep().getResource();
    assertPixFeed(event);

    // the ITI-81 chained form and a date window find the same event; a wrong system does not
    assertThat(
            search(pipeline, "patient.identifier=" + PATIENT_SYSTEM + "|" + PATIENT_VALUE)
                .getTotal())
        .isEqualTo(1);
    assertThat(search(pipeline, "patient:identifier=" + PATIENT_VALUE).getTotal()).isEqualTo(1);
    assertThat(search(pipeline, "patient:identifier=urn:oid:9.9.9|" + PATIENT_VALUE).getTotal())
        .isZero();
    assertThat(
            search(pipeline, "date=ge2020-03-19T12:24:34Z&date=lt2020-03-19T12:24:35Z").getTotal())
        .isEqualTo(1);
    assertThat(search(pipeline, "date=gt2020-03-19&date=lt2021-01-01").getTotal()).isZero();

    // read by id returns the same resource
    AuditEvent read =
        client(pipeline).read().resource(AuditEvent.class).withId(event.getIdPart()).execute();
    assertPixFeed(read);
  }

  @Test
  void malformedFrame_goesToDeadLetterWithItsBytes_andListenerKeepsServing() {
    Pipeline pipeline = start();
    byte[] garbage =
        ("<85>1 2026-11-27T10:00:00Z host app - IHE+RFC-3881 - this is not XML "
                + UUID.randomUUID())
            .getBytes(StandardCharsets.UTF_8);
    AtnaTraffic.sendOctetCounted(pipeline.syslogPort(), garbage);

    ConsumerRecord<byte[], byte[]> dead = awaitDeadLetter(pipeline, garbage);
    assertThat(RawHeaders.get(dead.headers(), DeadLetterHeaders.REASON)).isEqualTo("NOT_XML");
    assertThat(RawHeaders.get(dead.headers(), RawHeaders.TRANSPORT)).isEqualTo("tcp");
    assertThat(RawHeaders.get(dead.headers(), DeadLetterHeaders.SOURCE_TOPIC))
        .isEqualTo(Topics.ATNA_RAW.name());

    // sandwich: a valid message after the poison one is still converted and found
    AtnaTraffic.sendOctetCounted(
        pipeline.syslogPort(), AtnaTraffic.syslog5424(TestVectors.bytes(PIXFEED)));
    awaitHits(pipeline, "patient:identifier=" + PATIENT_SYSTEM + "|" + PATIENT_VALUE, 1);
  }

  static void assertPixFeed(AuditEvent event) {
    assertThat(event.getAction()).isEqualTo(AuditEvent.AuditEventAction.C);
    assertThat(event.getOutcome().getCode().getCode()).isEqualTo("0");
    assertThat(event.getOutcome().getCode().getSystem())
        .isEqualTo("http://terminology.hl7.org/CodeSystem/audit-event-outcome");
    assertThat(event.getRecordedElement().getValue().toInstant())
        .isEqualTo(Instant.parse("2020-03-19T12:24:34.434Z"));
    Identifier patient = event.getPatient().getIdentifier();
    assertThat(patient.getSystem()).isEqualTo(PATIENT_SYSTEM);
    assertThat(patient.getValue()).isEqualTo(PATIENT_VALUE);
    assertThat(event.getSource().getObserver().getIdentifier().getValue()).isEqualTo("MPI");
  }

  Bundle awaitHits(Pipeline pipeline, String query, int hits) {
    Bundle[] last = new Bundle[1];
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              last[0] = search(pipeline, query);
              assertThat(last[0].getEntry()).hasSize(hits);
            });
    return last[0];
  }

  static Bundle search(Pipeline pipeline, String query) {
    return client(pipeline)
        .search()
        .byUrl("AuditEvent?" + query)
        .returnBundle(Bundle.class)
        .execute();
  }

  /** A client with a token of the pipeline's local issuer: read everything, every label. */
  static IGenericClient client(Pipeline pipeline) {
    return client(pipeline, "system/AuditEvent.rs");
  }

  /**
   * @param scope SMART scopes of the token, e.g. {@code system/AuditEvent.rs system/AuditEvent.c}
   */
  static IGenericClient client(Pipeline pipeline, String scope) {
    return client(pipeline, scope, Set.of("V"));
  }

  /**
   * @param clearance the token's label clearance; empty = the default (N)
   */
  static IGenericClient client(Pipeline pipeline, String scope, Set<String> clearance) {
    Fhir.context()
        .getRestfulClientFactory()
        .setServerValidationMode(ServerValidationModeEnum.NEVER);
    IGenericClient client = Fhir.context().newRestfulGenericClient(pipeline.fhirBaseUrl());
    client.registerInterceptor(
        new BearerTokenAuthInterceptor(
            LocalIssuer.open(pipeline.keysDir())
                .mint("e2e-test", scope, null, clearance, Duration.ofMinutes(10))));
    return client;
  }

  /**
   * A case once missed: a patient marked V in reference data after its events were stored. The
   * earlier event must leave an uncleared caller's search, read and count, while the cleared
   * caller's $verify still finds the chain intact (the chained JSON is not touched); and the
   * self-audit of the cleared caller's search about the patient is out of the uncleared caller's
   * reach too.
   */
  @Test
  void patientRaisedToV_earlierEventsAndSelfAuditHiddenFromUnclearedCaller_chainIntact()
      throws Exception {
    Pipeline pipeline = start();
    AtnaTraffic.sendOctetCounted(
        pipeline.syslogPort(), AtnaTraffic.syslog5424(TestVectors.bytes(PIXFEED)));
    String byPatient = "patient:identifier=" + PATIENT_SYSTEM + "|" + PATIENT_VALUE;
    String id = awaitHits(pipeline, byPatient, 1).getEntryFirstRep().getResource().getIdPart();
    IGenericClient uncleared = client(pipeline, "system/AuditEvent.rs", Set.of());
    assertThat(
            uncleared
                .search()
                .byUrl("AuditEvent?" + byPatient)
                .returnBundle(Bundle.class)
                .execute()
                .getTotal())
        .isEqualTo(1);

    org.hl7.fhir.r5.model.Patient patient = new org.hl7.fhir.r5.model.Patient();
    patient.setId("P" + PATIENT_VALUE);
    patient.addIdentifier().setSystem(PATIENT_SYSTEM).setValue(PATIENT_VALUE);
    patient
        .getMeta()
        .addSecurity(new org.hl7.fhir.r5.model.Coding(CodeSystems.V3_CONFIDENTIALITY, "V", null));
    org.atnabridge.streams.reference.ReferenceLoader.send(
        pipeline.bootstrapServers(),
        List.of(
            new org.atnabridge.streams.reference.ReferenceRecord(
                Topics.REFERENCE_PATIENTS, PATIENT_SYSTEM + "|" + PATIENT_VALUE, patient)),
        Duration.ofSeconds(30));

    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () ->
                assertThat(
                        uncleared
                            .search()
                            .byUrl("AuditEvent?" + byPatient)
                            .returnBundle(Bundle.class)
                            .execute()
                            .getTotal())
                    .isZero());
    assertThat(
            uncleared
                .search()
                .byUrl("AuditEvent?_summary=count&" + byPatient)
                .returnBundle(Bundle.class)
                .execute()
                .getTotal())
        .isZero();
    assertThatThrownBy(() -> uncleared.read().resource(AuditEvent.class).withId(id).execute())
        .isInstanceOf(ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException.class);
    // the cleared caller still reads it, unchanged, and the chain verifies
    AuditEvent read = client(pipeline).read().resource(AuditEvent.class).withId(id).execute();
    assertPixFeed(read);
    org.hl7.fhir.r5.model.Parameters verified =
        client(pipeline)
            .operation()
            .onType(AuditEvent.class)
            .named("$verify")
            .withNoParameters(org.hl7.fhir.r5.model.Parameters.class)
            .useHttpGet()
            .execute();
    assertThat(verified.getParameterBool("intact"))
        .as(Fhir.jsonParser().encodeResourceToString(verified))
        .isTrue();

    // self-audit of the cleared caller's search about the V patient: invisible without clearance
    String selfAudit =
        "_tag=http://atna-bridge.org/fhir/CodeSystem/record-origin|self-audit&entity:identifier="
            + PATIENT_SYSTEM
            + "|"
            + PATIENT_VALUE;
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(() -> assertThat(search(pipeline, selfAudit).getTotal()).isPositive());
    assertThat(
            uncleared
                .search()
                .byUrl("AuditEvent?" + selfAudit)
                .returnBundle(Bundle.class)
                .execute()
                .getTotal())
        .isZero();
  }

  /**
   * An officer's first questions on messages sent today about events of years ago (2001, 2009,
   * 2020): {@code _lastUpdated} (when the repository stored them) finds all of them, {@code date}
   * ({@code recorded}, the sender's clock) none; free text finds a user id, a source id and a
   * patient identifier as typed; the README's failed-login recipe finds the failed login. The
   * repository's own access records are left out with {@code category:not=110101}.
   */
  @Test
  void receivedToday_foundByLastUpdated_andFreeTextFindsUsersSourcesAndPatients() {
    Pipeline pipeline = start();
    AtnaTraffic.sendOctetCounted(
        pipeline.syslogPort(),
        AtnaTraffic.syslog5424(TestVectors.bytes(PIXFEED)), // 2020, source MPI
        AtnaTraffic.syslog5424(
            TestVectors.bytes("dicom-audit-xml/ipf-fhir-atna-record-1.xml")), // 2001, smitty
        AtnaTraffic.syslog5424(
            TestVectors.bytes("rfc3881-legacy-xml/openatna-application-login.xml")), // 2009, misys
        AtnaTraffic.syslog5424(
            TestVectors.bytes("dicom-audit-xml/ipf-pdqv3.xml"))); // 2020, IHERED-2340 and 5 more
    String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
    String notOwn = "&category:not=110101";

    // ipf-pdqv3 names six patients: one event each (ITI-20 one patient per message)
    Bundle arrived = awaitHits(pipeline, "_lastUpdated=ge" + today + notOwn, 9);
    assertThat(arrived.getEntry())
        .allSatisfy(
            e -> {
              AuditEvent event = (AuditEvent) e.getResource();
              assertThat(event.getRecorded().toInstant())
                  .isBefore(Instant.parse("2021-01-01T00:00:00Z"));
              assertThat(event.getMeta().getLastUpdated().toInstant())
                  .isAfter(Instant.now().minus(Duration.ofHours(1)));
            });
    assertThat(search(pipeline, "date=ge" + today + notOwn).getTotal()).isZero();
    assertThat(search(pipeline, "_lastUpdated=lt" + today + notOwn).getTotal()).isZero();

    assertThat(ids(search(pipeline, "_content=smitty" + notOwn)))
        .singleElement()
        .satisfies(id -> assertThat(recorded(pipeline, id)).startsWith("2001-12-17"));
    assertThat(ids(search(pipeline, "_content=misys" + notOwn)))
        .singleElement()
        .satisfies(id -> assertThat(recorded(pipeline, id)).startsWith("2009-10-22"));
    List<String> fromMpi = ids(search(pipeline, "source:identifier=MPI" + notOwn));
    assertThat(fromMpi).hasSizeGreaterThanOrEqualTo(1);
    assertThat(ids(search(pipeline, "_content=mpi" + notOwn))).containsAll(fromMpi);
    List<String> ihered = ids(search(pipeline, "patient:identifier=IHERED-2340"));
    assertThat(ihered).hasSize(1);
    assertThat(ids(search(pipeline, "_text=IHERED-2340" + notOwn)))
        .containsAll(ihered)
        .allSatisfy(id -> assertThat(recorded(pipeline, id)).startsWith("2020-03-19T14:17"));
    // "were there failed logins?": DCM 110114 User Authentication, outcome other than success
    assertThat(
            ids(
                search(
                    pipeline,
                    "category=http://dicom.nema.org/resources/ontology/DCM|110114&outcome:not=0")))
        .singleElement()
        .satisfies(id -> assertThat(recorded(pipeline, id)).startsWith("2009-10-22"));
  }

  private static List<String> ids(Bundle b) {
    return b.getEntry().stream().map(e -> e.getResource().getIdPart()).toList();
  }

  /** {@code recorded} of a stored event as UTC text. */
  private static String recorded(Pipeline pipeline, String id) {
    return client(pipeline)
        .read()
        .resource(AuditEvent.class)
        .withId(id)
        .execute()
        .getRecorded()
        .toInstant()
        .toString();
  }

  @Test
  void api_refusesRequestsWithoutAToken() {
    Pipeline pipeline = start();
    IGenericClient anonymous = Fhir.context().newRestfulGenericClient(pipeline.fhirBaseUrl());
    assertThatThrownBy(
            () -> anonymous.search().byUrl("AuditEvent").returnBundle(Bundle.class).execute())
        .isInstanceOf(AuthenticationException.class);
  }

  static ConsumerRecord<byte[], byte[]> awaitDeadLetter(Pipeline pipeline, byte[] value) {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            pipeline.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG,
            "dlq-probe-" + UUID.randomUUID(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest");
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(Topics.AUDIT_DLQ.name()));
      ConsumerRecord<byte[], byte[]>[] found = new ConsumerRecord[1];
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                  if (java.util.Arrays.equals(r.value(), value)) {
                    found[0] = r;
                  }
                }
                return found[0] != null;
              });
      return found[0];
    }
  }
}
