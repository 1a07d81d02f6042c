package org.atnabridge.search.subscription;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.schemas.Topics;
import org.atnabridge.schemas.subscription.SubscriptionNotification;
import org.atnabridge.schemas.subscription.SubscriptionNotificationJson;
import org.atnabridge.search.ApiSettings;
import org.atnabridge.search.ChainVerificationProvider;
import org.atnabridge.search.FhirServerFactory;
import org.atnabridge.search.SearchServer;
import org.atnabridge.search.feed.KafkaAuditEventFeed;
import org.atnabridge.search.security.ApiSecurity;
import org.atnabridge.search.security.AuthSettings;
import org.atnabridge.store.AuditStore;
import org.atnabridge.store.AuditStores;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.Reference;

/**
 * The secured FHIR server as {@code serve} composes it, with Subscriptions, over its own embedded
 * broker (the tests write raw records to {@code audit.notifications}), a Lucene store, the Kafka
 * feed, and an identity provider whose tokens it trusts.
 */
final class SubscriptionApi implements AutoCloseable {

  static final String ISSUER = "https://idp.test/subscriptions";
  static final String AUDIENCE = "atna-bridge-subscriptions-test";

  final Path dir;
  final EmbeddedKafkaBroker kafka;
  final AuditStore store;
  final KafkaAuditEventFeed feed;
  final Subscriptions subscriptions;
  final SearchServer server;
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final RSAKey key;
  private final ApiSecurity security;
  private final KafkaProducer<String, byte[]> notifications;

  SubscriptionApi(SubscriptionSettings settings) throws Exception {
    dir = Files.createTempDirectory("subscription-api-");
    kafka = new EmbeddedKafkaBroker(dir.resolve("kafka"), 0, Map.of()).start();
    kafka.createTopics(Topics.newTopics((short) 1));
    key = new RSAKeyGenerator(2048).keyID("k-" + UUID.randomUUID()).generate();
    AuthSettings auth =
        AuthSettings.of(ISSUER, AUDIENCE, new ImmutableJWKSet<>(new JWKSet(key.toPublicJWK())));
    store = AuditStores.lucene(dir.resolve("index"));
    feed =
        new KafkaAuditEventFeed(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    security = new ApiSecurity(auth, feed);
    SearchServer[] holder = new SearchServer[1];
    subscriptions =
        Subscriptions.start(
            kafka.bootstrapServers(),
            settings,
            null,
            meters,
            () -> holder[0].publicBaseUrl(),
            Clock.systemUTC());
    server =
        new SearchServer(
                "127.0.0.1",
                0,
                FhirServerFactory.create(
                    store.search(),
                    feed,
                    Clock.systemUTC(),
                    ChainVerificationProvider::new,
                    ApiSettings.DEFAULTS,
                    security,
                    subscriptions))
            .authenticateWith(
                security.authentication(FhirServerFactory.REPOSITORY_NAME, Clock.systemUTC()))
            .subscriptionSockets(subscriptions.socketServlet());
    holder[0] = server;
    server.start();
    notifications =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG,
                "all"),
            new StringSerializer(),
            new ByteArraySerializer());
  }

  /**
   * Another API node over the same broker, store and identity provider (its own view of {@code
   * audit.subscriptions}, rest-hook consumer and websocket tail), with {@code listener}'s timeouts.
   */
  record Node(Subscriptions subscriptions, SearchServer server) implements AutoCloseable {
    @Override
    public void close() {
      server.close();
      subscriptions.close();
    }
  }

  Node anotherNode(SubscriptionSettings settings, org.atnabridge.search.ListenerSettings listener) {
    SearchServer[] holder = new SearchServer[1];
    Subscriptions subs =
        Subscriptions.start(
            kafka.bootstrapServers(),
            settings,
            null,
            new SimpleMeterRegistry(),
            () -> holder[0].publicBaseUrl(),
            Clock.systemUTC());
    SearchServer node =
        new SearchServer(
                "127.0.0.1",
                0,
                FhirServerFactory.create(
                    store.search(),
                    feed,
                    Clock.systemUTC(),
                    ChainVerificationProvider::new,
                    ApiSettings.DEFAULTS,
                    security,
                    subs))
            .authenticateWith(
                security.authentication(FhirServerFactory.REPOSITORY_NAME, Clock.systemUTC()))
            .subscriptionSockets(subs.socketServlet())
            .listener(listener);
    holder[0] = node;
    node.start();
    return new Node(subs, node);
  }

  /** A token of {@code subject} with {@code scope} and, when not null, a {@code patient} claim. */
  String token(String subject, String scope, String patient) {
    Instant now = Instant.now();
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .issuer(ISSUER)
            .audience(AUDIENCE)
            .subject(subject)
            .issueTime(Date.from(now))
            .notBeforeTime(Date.from(now.minusSeconds(1)))
            .expirationTime(Date.from(now.plus(Duration.ofMinutes(30))))
            .jwtID(UUID.randomUUID().toString())
            .claim("scope", scope);
    if (patient != null) {
      claims.claim("patient", patient);
    }
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(key.getKeyID())
                .type(JOSEObjectType.JWT)
                .build(),
            claims.build());
    try {
      jwt.sign(new RSASSASigner(key));
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    return jwt.serialize();
  }

  /** The HAPI generic client with {@code token}. */
  IGenericClient client(String token) {
    Fhir.context()
        .getRestfulClientFactory()
        .setServerValidationMode(ServerValidationModeEnum.NEVER);
    IGenericClient c = Fhir.context().newRestfulGenericClient(server.baseUrl());
    c.registerInterceptor(new BearerTokenAuthInterceptor(token));
    return c;
  }

  /** Writes notification {@code number} of subscription {@code id}, as the matcher would. */
  void notify(String id, long number, AuditEvent event) throws Exception {
    notifications
        .send(
            new ProducerRecord<>(
                Topics.AUDIT_NOTIFICATIONS.name(),
                id,
                SubscriptionNotificationJson.write(
                    new SubscriptionNotification(
                        id,
                        number,
                        org.atnabridge.schemas.subscription.BuiltInTopics.AUDIT_EVENT,
                        Instant.now(),
                        event))))
        .get();
  }

  /** An AuditEvent about {@code patient} ({@code Patient/ID}). */
  static AuditEvent event(String id, String patient) {
    AuditEvent e = new AuditEvent();
    e.setId(id);
    e.setRecorded(new Date());
    e.addCategory()
        .addCoding(
            new Coding("http://dicom.nema.org/resources/ontology/DCM", "110110", "Patient Record"));
    e.setCode(e.getCategoryFirstRep());
    e.setAction(AuditEvent.AuditEventAction.R);
    e.setPatient(new Reference(patient));
    e.getSource().setObserver(new Reference().setDisplay("test"));
    e.addAgent().setWho(new Reference().setDisplay("someone"));
    return e;
  }

  @Override
  public void close() throws Exception {
    server.close();
    subscriptions.close();
    notifications.close();
    feed.close();
    store.close();
    kafka.close();
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
