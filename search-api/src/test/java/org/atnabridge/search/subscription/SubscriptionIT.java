package org.atnabridge.search.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.schemas.Topics;
import org.atnabridge.schemas.subscription.BuiltInTopics;
import org.atnabridge.schemas.subscription.SubscriberAccess;
import org.atnabridge.schemas.vocab.CodeSystems;
import org.atnabridge.testing.TopicReaders;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.CapabilityStatement;
import org.hl7.fhir.r5.model.CodeType;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.Enumerations.SearchModifierCode;
import org.hl7.fhir.r5.model.Enumerations.SubscriptionStatusCodes;
import org.hl7.fhir.r5.model.OperationOutcome;
import org.hl7.fhir.r5.model.Parameters;
import org.hl7.fhir.r5.model.StringType;
import org.hl7.fhir.r5.model.Subscription;
import org.hl7.fhir.r5.model.SubscriptionStatus;
import org.hl7.fhir.r5.model.SubscriptionTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Subscriptions end to end through the HAPI generic client, a rest-hook endpoint on the JDK
 * HttpServer and a real broker; the notifications are written to {@code audit.notifications} as the
 * matcher would.
 */
class SubscriptionIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static HookReceiver receiver;
  private static SubscriptionApi api;
  private static IGenericClient admin;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    receiver = new HookReceiver();
    api =
        new SubscriptionApi(
            SubscriptionSettings.DEFAULTS
                .withAllowHttp(true)
                .withEndpoints(List.of(receiver.prefix()))
                .withBackoff(Duration.ofMillis(100), Duration.ofMillis(400)));
    admin = api.client(api.token("admin", "system/Subscription.cruds system/AuditEvent.rs", null));
  }

  @AfterAll
  static void stop() throws Exception {
    if (api != null) {
      api.close();
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  static Subscription restHook(String path, String content) {
    Subscription s = new Subscription();
    s.setStatus(SubscriptionStatusCodes.REQUESTED);
    s.setTopic(BuiltInTopics.AUDIT_EVENT);
    s.setChannelType(new Coding(SubscriptionValidator.CHANNEL_TYPE_SYSTEM, "rest-hook", null));
    s.setEndpoint(receiver.url(path));
    s.getContentElement().setValueAsString(content);
    s.addParameter().setName("Authorization").setValue("Bearer hook-secret");
    return s;
  }

  static String create(IGenericClient client, Subscription s) {
    return client.create().resource(s).execute().getId().getIdPart();
  }

  private static Subscription read(String id) {
    return admin.read().resource(Subscription.class).withId(id).execute();
  }

  private static void awaitStatus(String id, SubscriptionStatusCodes status) {
    await().atMost(WAIT).until(() -> read(id).getStatus() == status);
  }

  /** The event numbers received at {@code path}, in arrival order, each once. */
  private static List<Long> numbers(String path) {
    Set<Long> out = new LinkedHashSet<>();
    for (HookReceiver.Received r : receiver.at(path, "event-notification")) {
      r.status().getNotificationEvent().forEach(e -> out.add(e.getEventNumber()));
    }
    return new ArrayList<>(out);
  }

  @Test
  void topicsAreReadableSearchableAndDeclared() {
    SubscriptionTopic topic =
        admin.read().resource(SubscriptionTopic.class).withId("audit-event").execute();
    assertThat(topic.getUrl()).isEqualTo(BuiltInTopics.AUDIT_EVENT);
    assertThat(topic.getCanFilterBy())
        .extracting(SubscriptionTopic.SubscriptionTopicCanFilterByComponent::getFilterParameter)
        .containsExactlyElementsOf(SubscriptionTopics.FILTER_PARAMETERS);
    Bundle all =
        admin.search().forResource(SubscriptionTopic.class).returnBundle(Bundle.class).execute();
    assertThat(all.getEntry())
        .extracting(e -> ((SubscriptionTopic) e.getResource()).getUrl())
        .containsExactlyInAnyOrder(BuiltInTopics.AUDIT_EVENT, BuiltInTopics.SECURITY_ALERT);
    Bundle alerts =
        admin
            .search()
            .forResource(SubscriptionTopic.class)
            .where(SubscriptionTopic.URL.matches().value(BuiltInTopics.SECURITY_ALERT))
            .returnBundle(Bundle.class)
            .execute();
    assertThat(alerts.getEntry()).hasSize(1);

    CapabilityStatement cs = admin.capabilities().ofType(CapabilityStatement.class).execute();
    var resources = cs.getRestFirstRep().getResource();
    var subscription =
        resources.stream()
            .filter(r -> r.getType().equals("Subscription"))
            .findFirst()
            .orElseThrow();
    assertThat(subscription.getInteraction())
        .extracting(i -> i.getCode().toCode())
        .contains("create", "read", "update", "delete", "search-type");
    assertThat(subscription.getOperation())
        .extracting(o -> o.getName())
        .contains("status", "events");
    assertThat(subscription.getExtensionsByUrl(SubscriptionCapabilityInterceptor.TOPIC_CANONICAL))
        .extracting(e -> e.getValue().primitiveValue())
        .containsExactlyInAnyOrderElementsOf(BuiltInTopics.ALL);
    assertThat(resources).extracting(r -> r.getType()).contains("SubscriptionTopic");
  }

  @Test
  void handshakeThenNotificationsAtEachContentLevel() throws Exception {
    for (String content : List.of("empty", "id-only", "full-resource")) {
      String path = "/content-" + content;
      String id = create(admin, restHook(path, content));
      await().atMost(WAIT).until(() -> !receiver.at(path, "handshake").isEmpty());
      awaitStatus(id, SubscriptionStatusCodes.ACTIVE);
      HookReceiver.Received handshake = receiver.at(path, "handshake").get(0);
      assertThat(handshake.authorization()).isEqualTo("Bearer hook-secret");
      assertThat(handshake.bundle().getType())
          .isEqualTo(Bundle.BundleType.SUBSCRIPTIONNOTIFICATION);

      api.notify(id, 1, SubscriptionApi.event("ev1-" + content, "Patient/p1"));
      api.notify(id, 2, SubscriptionApi.event("ev2-" + content, "Patient/p1"));
      await().atMost(WAIT).until(() -> numbers(path).size() == 2);
      assertThat(numbers(path)).containsExactly(1L, 2L);

      List<HookReceiver.Received> got = receiver.at(path, "event-notification");
      for (HookReceiver.Received r : got) {
        SubscriptionStatus st = r.status();
        assertThat(st.getSubscription().getReference()).endsWith("Subscription/" + id);
        assertThat(st.getTopic()).isEqualTo(BuiltInTopics.AUDIT_EVENT);
        assertThat(st.getStatus()).isEqualTo(SubscriptionStatusCodes.ACTIVE);
        // R5 JSON: integer64 as strings
        assertThat(r.body())
            .containsPattern(Pattern.compile("\"eventNumber\"\\s*:\\s*\"\\d+\""))
            .containsPattern(Pattern.compile("\"eventsSinceSubscriptionStart\"\\s*:\\s*\"\\d+\""));
        for (var ne : st.getNotificationEvent()) {
          assertThat(ne.hasTimestamp()).isTrue();
          switch (content) {
            case "empty" -> assertThat(ne.hasFocus()).isFalse();
            default ->
                assertThat(ne.getFocus().getReference())
                    .endsWith("AuditEvent/ev" + ne.getEventNumber() + "-" + content);
          }
        }
        List<AuditEvent> events =
            r.bundle().getEntry().stream().skip(1).map(e -> (AuditEvent) e.getResource()).toList();
        if (content.equals("full-resource")) {
          assertThat(events).hasSize(st.getNotificationEvent().size());
          assertThat(events.get(0).getPatient().getReference()).isEqualTo("Patient/p1");
        } else {
          assertThat(events).isEmpty();
        }
      }
      assertThat(got.get(got.size() - 1).status().getEventsSinceSubscriptionStart()).isEqualTo(2);
    }
  }

  @Test
  void heartbeatsWhileIdle() {
    Subscription s = restHook("/heartbeat", "id-only");
    s.setHeartbeatPeriod(1);
    String id = create(admin, s);
    awaitStatus(id, SubscriptionStatusCodes.ACTIVE);
    await().atMost(WAIT).until(() -> receiver.at("/heartbeat", "heartbeat").size() >= 2);
    HookReceiver.Received beat = receiver.at("/heartbeat", "heartbeat").get(0);
    assertThat(beat.bundle().getEntry()).hasSize(1);
    assertThat(beat.status().getNotificationEvent()).isEmpty();
  }

  @Test
  void statusAndEventsReplayFromTheTopic() throws Exception {
    String id = create(admin, restHook("/replay", "id-only"));
    awaitStatus(id, SubscriptionStatusCodes.ACTIVE);
    for (long n = 1; n <= 3; n++) {
      api.notify(id, n, SubscriptionApi.event("replay" + n, "Patient/p1"));
    }
    await().atMost(WAIT).until(() -> numbers("/replay").size() == 3);

    Bundle status =
        admin
            .operation()
            .onInstance("Subscription/" + id)
            .named("$status")
            .withNoParameters(Parameters.class)
            .returnResourceType(Bundle.class)
            .useHttpGet()
            .execute();
    SubscriptionStatus st = (SubscriptionStatus) status.getEntryFirstRep().getResource();
    assertThat(st.getType()).isEqualTo(SubscriptionStatus.SubscriptionNotificationType.QUERYSTATUS);
    assertThat(st.getStatus()).isEqualTo(SubscriptionStatusCodes.ACTIVE);
    assertThat(st.getEventsSinceSubscriptionStart()).isEqualTo(3);

    Bundle all =
        admin
            .operation()
            .onType(Subscription.class)
            .named("$status")
            .withNoParameters(Parameters.class)
            .returnResourceType(Bundle.class)
            .useHttpGet()
            .execute();
    assertThat(all.getEntry())
        .extracting(e -> ((SubscriptionStatus) e.getResource()).getSubscription().getReference())
        .anyMatch(r -> r.endsWith("Subscription/" + id));

    Parameters in = new Parameters();
    in.addParameter("eventsSinceNumber", new StringType("2"));
    in.addParameter("content", new CodeType("full-resource"));
    Bundle events =
        admin
            .operation()
            .onInstance("Subscription/" + id)
            .named("$events")
            .withParameters(in)
            .returnResourceType(Bundle.class)
            .useHttpGet()
            .execute();
    assertThat(events.getType()).isEqualTo(Bundle.BundleType.HISTORY);
    SubscriptionStatus replay = (SubscriptionStatus) events.getEntryFirstRep().getResource();
    assertThat(replay.getType())
        .isEqualTo(SubscriptionStatus.SubscriptionNotificationType.QUERYEVENT);
    assertThat(replay.getNotificationEvent())
        .extracting(e -> e.getEventNumber())
        .containsExactly(2L, 3L);
    assertThat(events.getEntry().subList(1, events.getEntry().size()))
        .extracting(e -> e.getResource().getIdElement().getIdPart())
        .containsExactly("replay2", "replay3");

    Parameters until = new Parameters();
    until.addParameter("eventsSinceNumber", new StringType("1"));
    until.addParameter("eventsUntilNumber", new StringType("1"));
    Bundle first =
        admin
            .operation()
            .onInstance("Subscription/" + id)
            .named("$events")
            .withParameters(until)
            .returnResourceType(Bundle.class)
            .useHttpGet()
            .execute();
    SubscriptionStatus one = (SubscriptionStatus) first.getEntryFirstRep().getResource();
    assertThat(one.getNotificationEvent()).extracting(e -> e.getEventNumber()).containsExactly(1L);
    assertThat(first.getEntry()).hasSize(1); // id-only: the focus reference is all there is
  }

  @Test
  void anEndpointThatIsDownHoldsBackOnlyItsOwnSubscriptionAndGetsEverythingInOrderWhenBack()
      throws Exception {
    String flaky = create(admin, restHook("/flaky", "id-only"));
    awaitStatus(flaky, SubscriptionStatusCodes.ACTIVE);
    // a second subscription on the same partition of audit.notifications
    String steady = null;
    List<String> others = new ArrayList<>();
    for (int i = 0; i < 12 && steady == null; i++) {
      String candidate = create(admin, restHook("/steady", "id-only"));
      if (NotificationLog.partitionOf(candidate, 3) == NotificationLog.partitionOf(flaky, 3)) {
        steady = candidate;
      } else {
        others.add(candidate);
      }
    }
    for (String o : others) {
      admin.delete().resourceById("Subscription", o).execute();
    }
    assertThat(steady).isNotNull();
    String steadyId = steady;
    awaitStatus(steadyId, SubscriptionStatusCodes.ACTIVE);

    receiver.status.put("/flaky", 503);
    for (long n = 1; n <= 20; n++) {
      api.notify(flaky, n, SubscriptionApi.event("flaky" + n, "Patient/p1"));
      api.notify(steadyId, n, SubscriptionApi.event("steady" + n, "Patient/p1"));
    }
    await().atMost(WAIT).until(() -> numbers("/steady").size() == 20);
    assertThat(numbers("/steady"))
        .containsExactlyElementsOf(LongStream.rangeClosed(1, 20).boxed().toList());
    awaitStatus(flaky, SubscriptionStatusCodes.ERROR);
    assertThat(numbers("/flaky")).isEmpty();

    receiver.status.remove("/flaky");
    await().atMost(WAIT).until(() -> numbers("/flaky").size() == 20);
    assertThat(numbers("/flaky"))
        .containsExactlyElementsOf(LongStream.rangeClosed(1, 20).boxed().toList());
    awaitStatus(flaky, SubscriptionStatusCodes.ACTIVE);
    assertThat(api.meters.find(DeliveryMetrics.NOTIFICATIONS).tag("outcome", "failure").counters())
        .isNotEmpty();
  }

  @Test
  void aRedirectIsNotFollowed() {
    receiver.redirects.put("/redirect", receiver.url("/redirect-target"));
    String id = create(admin, restHook("/redirect", "id-only"));
    awaitStatus(id, SubscriptionStatusCodes.ERROR);
    assertThat(receiver.hits("/redirect")).isGreaterThanOrEqualTo(2);
    assertThat(receiver.hits("/redirect-target")).isZero();
  }

  @Test
  void aPatientScopedCreatorsAccessIsRecordedHiddenAndEnforced() throws Exception {
    IGenericClient patientApp =
        api.client(
            api.token("patient-app", "patient/Subscription.cruds patient/AuditEvent.rs", "p1"));
    Subscription s = restHook("/patient-app", "full-resource");
    s.addFilterBy().setFilterParameter("patient").setValue("Patient/p2");
    String id = create(patientApp, s);

    Subscription stored = api.subscriptions.registry().get(id).orElseThrow();
    SubscriberAccess access = SubscriberAccess.readFrom(stored).orElseThrow();
    assertThat(access.subject()).isEqualTo("patient-app");
    assertThat(access.patient()).isEqualTo("p1");
    assertThat(access.patientLevel()).isTrue();

    Subscription shown = patientApp.read().resource(Subscription.class).withId(id).execute();
    assertThat(shown.getExtensionByUrl(SubscriberAccess.URL)).isNull();
    assertThat(shown.getParameterFirstRep().getValue()).isEqualTo("***");
    // another caller does not see it
    assertThatThrownBy(() -> read(id)).isInstanceOf(ResourceNotFoundException.class);

    awaitStatus2(patientApp, id);
    api.notify(id, 1, SubscriptionApi.event("other-patient", "Patient/p2"));
    api.notify(id, 2, SubscriptionApi.event("own-patient", "Patient/p1"));
    await().atMost(WAIT).until(() -> !receiver.at("/patient-app", "event-notification").isEmpty());
    List<HookReceiver.Received> got = receiver.at("/patient-app", "event-notification");
    assertThat(got).hasSize(1);
    assertThat(got.get(0).status().getNotificationEvent())
        .extracting(e -> e.getEventNumber())
        .containsExactly(2L);
    assertThat(got.get(0).bundle().getEntry()).hasSize(2);
  }

  private static void awaitStatus2(IGenericClient client, String id) {
    await()
        .atMost(WAIT)
        .until(
            () ->
                client.read().resource(Subscription.class).withId(id).execute().getStatus()
                    == SubscriptionStatusCodes.ACTIVE);
  }

  @Test
  void scopesAreRequired() {
    IGenericClient reader = api.client(api.token("reader", "system/AuditEvent.rs", null));
    assertThatThrownBy(() -> create(reader, restHook("/scopes", "id-only")))
        .isInstanceOf(ForbiddenOperationException.class);
    IGenericClient noEvents = api.client(api.token("no-events", "system/Subscription.cruds", null));
    assertThatThrownBy(() -> create(noEvents, restHook("/scopes", "id-only")))
        .isInstanceOf(ForbiddenOperationException.class);
    assertThatThrownBy(
            () -> reader.read().resource(SubscriptionTopic.class).withId("audit-event").execute())
        .isInstanceOf(ForbiddenOperationException.class);
  }

  @Test
  void invalidSubscriptionsAreRefusedNamingTheElement() throws Exception {
    Subscription unknownTopic = restHook("/invalid", "id-only");
    unknownTopic.setTopic("http://example.org/SubscriptionTopic/nope");
    assertRefused(unknownTopic, "Subscription.topic");

    Subscription dateFilter = restHook("/invalid", "id-only");
    dateFilter.addFilterBy().setFilterParameter("date").setValue("ge2026-01-01");
    assertRefused(dateFilter, "Subscription.filterBy[0].filterParameter");

    Subscription badModifier = restHook("/invalid", "id-only");
    badModifier
        .addFilterBy()
        .setFilterParameter("patient")
        .setModifier(SearchModifierCode.NOT)
        .setValue("Patient/x");
    assertRefused(badModifier, "Subscription.filterBy[0].modifier");

    Subscription email = restHook("/invalid", "id-only");
    email.getChannelType().setCode("email");
    assertRefused(email, "Subscription.channelType");

    for (String endpoint :
        List.of(
            "https://127.0.0.1/hook",
            "http://[::1]/hook",
            "http://169.254.169.254/latest/meta-data/",
            "file:///etc/passwd",
            "gopher://127.0.0.1:25/_HELO",
            "http://localhost:" + java.net.URI.create(receiver.prefix()).getPort() + "/x")) {
      Subscription ssrf = restHook("/invalid", "id-only");
      ssrf.setEndpoint(endpoint);
      assertRefused(ssrf, "Subscription.endpoint");
    }

    String badContent =
        Fhir.jsonParser()
            .encodeResourceToString(restHook("/invalid", "id-only"))
            .replace("\"id-only\"", "\"everything\"");
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(api.server.baseUrl() + "/Subscription"))
                .header(
                    "Authorization",
                    "Bearer "
                        + api.token(
                            "admin", "system/Subscription.cruds system/AuditEvent.rs", null))
                .header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(badContent))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isIn(400, 422);
    assertThat(r.body()).contains("content");
    assertThat(receiver.hits("/invalid")).isZero();
  }

  private static void assertRefused(Subscription s, String expression) {
    assertThatThrownBy(() -> create(admin, s))
        .isInstanceOf(UnprocessableEntityException.class)
        .satisfies(
            e -> {
              OperationOutcome oo =
                  (OperationOutcome) ((BaseServerResponseException) e).getOperationOutcome();
              assertThat(oo.getIssueFirstRep().getExpression())
                  .extracting(StringType::getValue)
                  .containsExactly(expression);
            });
  }

  @Test
  void updateChangesStatusEndAndFiltersOnlyDeleteRemovesAndBothAreSelfAudited() throws Exception {
    try (KafkaConsumer<byte[], byte[]> posted =
        TopicReaders.fromBeginning(
            api.kafka.bootstrapServers(),
            new org.atnabridge.schemas.Topic<>(
                Topics.AUDIT_POSTED.name(),
                org.apache.kafka.common.serialization.Serdes.ByteArray(),
                org.apache.kafka.common.serialization.Serdes.ByteArray(),
                Topics.AUDIT_POSTED.partitions(),
                java.util.Map.of()))) {
      String id = create(admin, restHook("/update", "id-only"));
      Subscription s = read(id);
      s.setStatus(SubscriptionStatusCodes.OFF);
      s.addFilterBy().setFilterParameter("patient").setValue("Patient/p1");
      Subscription updated = (Subscription) admin.update().resource(s).execute().getResource();
      Subscription again = read(id);
      assertThat(again.getStatus()).isEqualTo(SubscriptionStatusCodes.OFF);
      assertThat(again.getFilterBy()).hasSize(1);
      assertThat(again.getMeta().getVersionId()).isEqualTo("2");
      assertThat(updated == null || updated.getStatus() == SubscriptionStatusCodes.OFF).isTrue();

      Subscription moved = read(id);
      moved.setEndpoint(receiver.url("/elsewhere"));
      assertThatThrownBy(() -> admin.update().resource(moved).execute())
          .isInstanceOf(UnprocessableEntityException.class);

      admin.delete().resourceById("Subscription", id).execute();
      assertThatThrownBy(() -> read(id)).isInstanceOf(ResourceNotFoundException.class);

      Set<String> interactions = new LinkedHashSet<>();
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (System.nanoTime() < deadline
          && !interactions.containsAll(List.of("create", "update", "delete"))) {
        for (ConsumerRecord<byte[], byte[]> rec : posted.poll(Duration.ofMillis(200))) {
          AuditEvent e =
              Fhir.jsonParser()
                  .parseResource(
                      AuditEvent.class,
                      new String(rec.value(), java.nio.charset.StandardCharsets.UTF_8));
          boolean self =
              e.getMeta().getTag(CodeSystems.RECORD_ORIGIN, CodeSystems.SELF_AUDIT) != null;
          boolean aboutIt =
              e.getEntity().stream()
                  .anyMatch(x -> ("Subscription/" + id).equals(x.getWhat().getReference()));
          if (self && aboutIt) {
            interactions.add(e.getCode().getCodingFirstRep().getCode());
            assertThat(new String(rec.value(), java.nio.charset.StandardCharsets.UTF_8))
                .doesNotContain("hook-secret");
          }
        }
      }
      assertThat(interactions).contains("create", "update", "delete");
    }
  }
}
