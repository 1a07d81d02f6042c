package org.atnabridge.search.security;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.schemas.Topics;
import org.atnabridge.schemas.vocab.CodeSystems;
import org.atnabridge.search.ApiSettings;
import org.atnabridge.search.ChainVerificationProvider;
import org.atnabridge.search.FhirServerFactory;
import org.atnabridge.search.SearchServer;
import org.atnabridge.search.feed.KafkaAuditEventFeed;
import org.atnabridge.store.AuditStore;
import org.atnabridge.store.AuditStores;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.Reference;
import org.jspecify.annotations.Nullable;

/**
 * The FHIR server as {@code serve} composes it with security on: a Lucene store, the Kafka feed
 * (self-audit and Security Alerts go to {@code audit.events}), the secured view, the authentication
 * filter, the R4 base at {@code /fhir/R4}, and whatever {@code configure} adds (HTTPS, CORS).
 */
record SecuredApi(AuditStore store, KafkaAuditEventFeed feed, SearchServer server)
    implements AutoCloseable {

  static final String PATIENT_SYSTEM = "urn:oid:1.2.3";

  /**
   * One client, so its connections are reused: a client per request would hold one idle connection
   * each.
   */
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  static SecuredApi start(
      EmbeddedKafkaBroker kafka,
      Path indexDir,
      AuthSettings settings,
      List<AuditEvent> events,
      UnaryOperator<SearchServer> configure) {
    kafka.createTopics(Topics.newTopics((short) 1));
    AuditStore store = AuditStores.lucene(indexDir);
    store.writer().write(events);
    KafkaAuditEventFeed feed =
        new KafkaAuditEventFeed(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    ApiSecurity security = new ApiSecurity(settings, feed);
    SearchServer server =
        new SearchServer(
                "127.0.0.1",
                0,
                FhirServerFactory.create(
                    store.search(),
                    feed,
                    Clock.systemUTC(),
                    ChainVerificationProvider::new,
                    security))
            .r4Base(
                FhirServerFactory.createR4(
                    store.search(), feed, Clock.systemUTC(), ApiSettings.DEFAULTS, security))
            .authenticateWith(
                security.authentication(FhirServerFactory.REPOSITORY_NAME, Clock.systemUTC()));
    return new SecuredApi(store, feed, configure.apply(server).start());
  }

  /**
   * An event about {@code patient}: a literal reference {@code Patient/ID}, or, for {@code
   * system|value}, only an identifier (as ATNA messages name patients); labelled with the
   * confidentiality {@code label} when given.
   */
  static AuditEvent event(String id, String patient, @Nullable String label) {
    AuditEvent e = new AuditEvent();
    e.setId(id);
    e.setRecorded(Date.from(Instant.parse("2026-05-01T10:00:00Z")));
    e.setAction(AuditEvent.AuditEventAction.R);
    e.setCode(new CodeableConcept(new Coding(CodeSystems.DCM, "110110", "Patient Record")));
    int bar = patient.indexOf('|');
    Reference ref =
        bar < 0
            ? new Reference(patient)
            : new Reference()
                .setType("Patient")
                .setIdentifier(
                    new Identifier()
                        .setSystem(patient.substring(0, bar))
                        .setValue(patient.substring(bar + 1)));
    e.setPatient(ref);
    e.addEntity().setWhat(ref.copy());
    e.getSource().setObserver(new Reference().setIdentifier(new Identifier().setValue("node1")));
    e.addAgent().setWho(new Reference().setIdentifier(new Identifier().setValue("dr.who")));
    if (label != null) {
      e.getMeta().addSecurity(new Coding(CodeSystems.V3_CONFIDENTIALITY, label, null));
    }
    return e;
  }

  HttpResponse<String> get(String pathAndQuery, @Nullable String token) {
    return send(HttpRequest.newBuilder(URI.create(server.baseUrl() + pathAndQuery)).GET(), token);
  }

  static HttpResponse<String> send(HttpRequest.Builder request, @Nullable String token) {
    request.header("Accept", "application/fhir+json");
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.close();
    feed.close();
    store.close();
  }
}
