package org.atnabridge.search.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.atnabridge.schemas.subscription.BuiltInTopics;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.CapabilityStatement;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.Enumerations.SubscriptionStatusCodes;
import org.hl7.fhir.r5.model.Parameters;
import org.hl7.fhir.r5.model.StringType;
import org.hl7.fhir.r5.model.Subscription;
import org.hl7.fhir.r5.model.SubscriptionStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The websocket channel end to end: {@code $get-ws-binding-token} through the HAPI generic client,
 * {@code /fhir/websocket} through the JDK's {@code java.net.http.WebSocket}, the real server and a
 * real broker; notifications are written to {@code audit.notifications} as the matcher would.
 */
class SubscriptionWebSocketIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static SubscriptionApi api;
  private static IGenericClient admin;

  @BeforeAll
  static void start() throws Exception {
    api =
        new SubscriptionApi(SubscriptionSettings.DEFAULTS.withWsPingPeriod(Duration.ofSeconds(1)));
    admin = api.client(api.token("admin", "system/Subscription.cruds system/AuditEvent.rs", null));
  }

  @AfterAll
  static void stop() throws Exception {
    if (api != null) {
      api.close();
    }
  }

  static Subscription websocket(String content) {
    Subscription s = new Subscription();
    s.setTopic(BuiltInTopics.AUDIT_EVENT);
    s.setChannelType(new Coding(SubscriptionValidator.CHANNEL_TYPE_SYSTEM, "websocket", null));
    s.getContentElement().setValueAsString(content);
    return s;
  }

  static String create(IGenericClient client, Subscription s) {
    return client.create().resource(s).execute().getId().getIdPart();
  }

  static Parameters bindingToken(IGenericClient client, String id) {
    return client
        .operation()
        .onInstance("Subscription/" + id)
        .named("$get-ws-binding-token")
        .withNoParameters(Parameters.class)
        .useHttpGet()
        .execute();
  }

  static String token(IGenericClient client, String id) {
    return bindingToken(client, id).getParameterValue("token").primitiveValue();
  }

  private static String url() {
    return api.server.baseUrl().replace("http://", "ws://") + "/websocket";
  }

  private static SubscriptionStatusCodes status(IGenericClient client, String id) {
    return client.read().resource(Subscription.class).withId(id).execute().getStatus();
  }

  @Test
  void handshakeThenNotificationsAtEachContentLevel() throws Exception {
    for (String content : List.of("empty", "id-only", "full-resource")) {
      String id = create(admin, websocket(content));
      Instant asked = Instant.now();
      Parameters binding = bindingToken(admin, id);
      assertThat(binding.getParameterValue("subscription").primitiveValue()).isEqualTo(id);
      assertThat(binding.getParameterValue("websocket-url").primitiveValue()).isEqualTo(url());
      Instant expires =
          ((org.hl7.fhir.r5.model.DateTimeType) binding.getParameterValue("expiration"))
              .getValue()
              .toInstant();
      assertThat(expires)
          .isAfter(asked.plus(Duration.ofMinutes(4)))
          .isBefore(asked.plus(Duration.ofMinutes(6)));
      // not the rest-hook group's: no handshake was tried without an endpoint (it would be error)
      assertThat(status(admin, id)).isEqualTo(SubscriptionStatusCodes.REQUESTED);

      try (SocketClient socket = new SocketClient(url())) {
        socket.bind(binding.getParameterValue("token").primitiveValue());
        await().atMost(WAIT).until(() -> socket.of(id, "handshake").size() == 1);
        SocketClient.Message handshake = socket.of(id, "handshake").get(0);
        assertThat(((Bundle) handshake.resource()).getType())
            .isEqualTo(Bundle.BundleType.SUBSCRIPTIONNOTIFICATION);
        assertThat(handshake.status().getTopic()).isEqualTo(BuiltInTopics.AUDIT_EVENT);
        await().atMost(WAIT).until(() -> status(admin, id) == SubscriptionStatusCodes.ACTIVE);

        api.notify(id, 1, SubscriptionApi.event("ws1-" + content, "Patient/p1"));
        api.notify(id, 2, SubscriptionApi.event("ws2-" + content, "Patient/p1"));
        await().atMost(WAIT).until(() -> socket.numbers(id).size() == 2);
        assertThat(socket.numbers(id)).containsExactly(1L, 2L);
        for (SocketClient.Message m : socket.of(id, "event-notification")) {
          SubscriptionStatus st = m.status();
          assertThat(st.getSubscription().getReference()).endsWith("Subscription/" + id);
          assertThat(st.getStatus()).isEqualTo(SubscriptionStatusCodes.ACTIVE);
          assertThat(m.text())
              .containsPattern(Pattern.compile("\"eventNumber\"\\s*:\\s*\"\\d+\""))
              .containsPattern(
                  Pattern.compile("\"eventsSinceSubscriptionStart\"\\s*:\\s*\"\\d+\""));
          var ne = st.getNotificationEventFirstRep();
          assertThat(ne.hasTimestamp()).isTrue();
          List<AuditEvent> events =
              ((Bundle) m.resource())
                  .getEntry().stream().skip(1).map(e -> (AuditEvent) e.getResource()).toList();
          switch (content) {
            case "empty" -> {
              assertThat(ne.hasFocus()).isFalse();
              assertThat(events).isEmpty();
            }
            case "id-only" -> {
              assertThat(ne.getFocus().getReference())
                  .endsWith("AuditEvent/ws" + ne.getEventNumber() + "-" + content);
              assertThat(events).isEmpty();
            }
            default -> {
              assertThat(ne.getFocus().getReference())
                  .endsWith("AuditEvent/ws" + ne.getEventNumber() + "-" + content);
              assertThat(events).hasSize(1);
              assertThat(events.get(0).getPatient().getReference()).isEqualTo("Patient/p1");
            }
          }
        }
        assertThat(socket.outcomes()).isEmpty();
      }
    }
  }

  @Test
  void heartbeatsAndPingsWhileIdle() throws Exception {
    Subscription s = websocket("id-only");
    s.setHeartbeatPeriod(1);
    String id = create(admin, s);
    try (SocketClient socket = new SocketClient(url())) {
      socket.bind(token(admin, id));
      await().atMost(WAIT).until(() -> socket.of(id, "heartbeat").size() >= 2);
      await().atMost(WAIT).until(() -> socket.pings.get() >= 2);
      SocketClient.Message beat = socket.of(id, "heartbeat").get(0);
      assertThat(((Bundle) beat.resource()).getEntry()).hasSize(1);
      assertThat(beat.status().getNotificationEvent()).isEmpty();
    }
  }

  @Test
  void twoSubscriptionsOnOneSocket() throws Exception {
    String a = create(admin, websocket("id-only"));
    String b = create(admin, websocket("full-resource"));
    try (SocketClient socket = new SocketClient(url())) {
      socket.bind(token(admin, a));
      socket.bind(token(admin, b));
      await()
          .atMost(WAIT)
          .until(
              () -> socket.of(a, "handshake").size() == 1 && socket.of(b, "handshake").size() == 1);
      api.notify(a, 1, SubscriptionApi.event("two-a1", "Patient/p1"));
      api.notify(b, 1, SubscriptionApi.event("two-b1", "Patient/p1"));
      api.notify(a, 2, SubscriptionApi.event("two-a2", "Patient/p1"));
      await()
          .atMost(WAIT)
          .until(() -> socket.numbers(a).size() == 2 && socket.numbers(b).size() == 1);
      assertThat(socket.numbers(a)).containsExactly(1L, 2L);
      assertThat(socket.numbers(b)).containsExactly(1L);
      assertThat(
              socket
                  .of(b, "event-notification")
                  .get(0)
                  .status()
                  .getNotificationEventFirstRep()
                  .getFocus()
                  .getReference())
          .endsWith("AuditEvent/two-b1");
    }
  }

  @Test
  void misuseIsRefusedAndBindsNothing() throws Exception {
    String a = create(admin, websocket("id-only"));
    String b = create(admin, websocket("id-only"));
    String tokenOfA = token(admin, a);
    try (SocketClient socket = new SocketClient(url())) {
      // garbage, and a token naming no subscription
      socket.bind("garbage");
      socket.bind("wsb1.no-such-subscription.9999999999.c2ln");
      // another subscription's token, its id changed to b's: the signature is a's
      socket.bind(tokenOfA.replace("." + a + ".", "." + b + "."));
      socket.send("subscribe-everything please");
      await().atMost(WAIT).until(() -> socket.outcomes().size() == 4);
      assertThat(socket.outcomes())
          .extracting(SocketClient.Message::diagnostics)
          .containsExactly(
              "malformed token",
              "unknown or deleted subscription",
              "invalid token",
              "unknown message; send: bind-with-token <token of $get-ws-binding-token>");
      assertThat(socket.messages).allMatch(m -> !m.isBundle());

      // a's token binds a, and a only
      socket.bind(tokenOfA);
      await().atMost(WAIT).until(() -> socket.of(a, "handshake").size() == 1);
      api.notify(b, 1, SubscriptionApi.event("misuse-b1", "Patient/p1"));
      api.notify(a, 1, SubscriptionApi.event("misuse-a1", "Patient/p1"));
      await().atMost(WAIT).until(() -> socket.numbers(a).size() == 1);
      assertThat(socket.of(b, "handshake")).isEmpty();
      assertThat(socket.numbers(b)).isEmpty();

      // deleted while bound: the client is told, and it is unbound
      admin.delete().resourceById("Subscription", a).execute();
      await()
          .atMost(WAIT)
          .until(
              () ->
                  socket.outcomes().stream()
                      .anyMatch(
                          o ->
                              o.diagnostics()
                                  .equals(
                                      "subscription "
                                          + a
                                          + " was deleted or turned off: unbound")));
    }

    // only the caller who may read a subscription gets its token
    IGenericClient other =
        api.client(api.token("other", "system/Subscription.cruds system/AuditEvent.rs", null));
    assertThatThrownBy(() -> bindingToken(other, a)).isInstanceOf(ResourceNotFoundException.class);
    // a rest-hook subscription has no binding token
    Subscription hook = websocket("id-only");
    hook.getChannelType().setCode("rest-hook");
    hook.setEndpoint("https://93.184.215.14/hook");
    hook.setStatus(SubscriptionStatusCodes.OFF); // never called: no traffic leaves this machine
    String hookId = create(admin, hook);
    assertThatThrownBy(() -> bindingToken(admin, hookId))
        .isInstanceOf(UnprocessableEntityException.class);
    admin.delete().resourceById("Subscription", hookId).execute();

    // a deleted subscription's token binds nothing
    String gone = create(admin, websocket("id-only"));
    String tokenOfGone = token(admin, gone);
    admin.delete().resourceById("Subscription", gone).execute();
    try (SocketClient socket = new SocketClient(url())) {
      socket.bind(tokenOfGone);
      await().atMost(WAIT).until(() -> socket.outcomes().size() == 1);
      assertThat(socket.outcomes().get(0).diagnostics())
          .isEqualTo("unknown or deleted subscription");
      assertThat(socket.messages).allMatch(m -> !m.isBundle());
    }
  }

  @Test
  void anExpiredTokenIsRefused() throws Exception {
    try (SubscriptionApi shortLived =
        new SubscriptionApi(SubscriptionSettings.DEFAULTS.withWsTokenTtl(Duration.ofSeconds(2)))) {
      IGenericClient client =
          shortLived.client(
              shortLived.token("admin", "system/Subscription.cruds system/AuditEvent.rs", null));
      String id = create(client, websocket("id-only"));
      Instant asked = Instant.now();
      Parameters binding = bindingToken(client, id);
      Instant expires =
          ((org.hl7.fhir.r5.model.DateTimeType) binding.getParameterValue("expiration"))
              .getValue()
              .toInstant();
      assertThat(expires).isBeforeOrEqualTo(asked.plusSeconds(2));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> Instant.now().isAfter(expires.plusMillis(200)));
      String url = shortLived.server.baseUrl().replace("http://", "ws://") + "/websocket";
      try (SocketClient socket = new SocketClient(url)) {
        socket.bind(binding.getParameterValue("token").primitiveValue());
        await().atMost(WAIT).until(() -> socket.outcomes().size() == 1);
        assertThat(socket.outcomes().get(0).diagnostics()).isEqualTo("expired token");
        assertThat(socket.messages).allMatch(m -> !m.isBundle());
      }
      assertThat(status(client, id)).isEqualTo(SubscriptionStatusCodes.REQUESTED);
    }
  }

  @Test
  void aClientThatReconnectsCatchesUpWithEvents() throws Exception {
    String id = create(admin, websocket("id-only"));
    List<Long> received = new ArrayList<>();
    try (SocketClient socket = new SocketClient(url())) {
      socket.bind(token(admin, id));
      await().atMost(WAIT).until(() -> socket.of(id, "handshake").size() == 1);
      api.notify(id, 1, SubscriptionApi.event("re1", "Patient/p1"));
      api.notify(id, 2, SubscriptionApi.event("re2", "Patient/p1"));
      await().atMost(WAIT).until(() -> socket.numbers(id).size() == 2);
      received.addAll(socket.numbers(id));
    }
    // away: these are not sent to anyone
    for (long n = 3; n <= 5; n++) {
      api.notify(id, n, SubscriptionApi.event("re" + n, "Patient/p1"));
    }
    try (SocketClient socket = new SocketClient(url())) {
      socket.bind(token(admin, id));
      await().atMost(WAIT).until(() -> socket.of(id, "handshake").size() == 1);
      // the handshake tells how far the subscription got: the client sees it missed 3..5
      assertThat(socket.of(id, "handshake").get(0).status().getEventsSinceSubscriptionStart())
          .isEqualTo(5);
      api.notify(id, 6, SubscriptionApi.event("re6", "Patient/p1"));
      await().atMost(WAIT).until(() -> socket.numbers(id).size() == 1);
      assertThat(socket.numbers(id)).containsExactly(6L);
      received.addAll(socket.numbers(id));
    }
    long last = received.get(1);
    Parameters in = new Parameters();
    in.addParameter("eventsSinceNumber", new StringType(String.valueOf(last + 1)));
    Bundle missed =
        admin
            .operation()
            .onInstance("Subscription/" + id)
            .named("$events")
            .withParameters(in)
            .returnResourceType(Bundle.class)
            .useHttpGet()
            .execute();
    List<Long> replayed =
        ((SubscriptionStatus) missed.getEntryFirstRep().getResource())
            .getNotificationEvent().stream()
                .map(
                    SubscriptionStatus.SubscriptionStatusNotificationEventComponent::getEventNumber)
                .toList();
    assertThat(replayed).containsExactly(3L, 4L, 5L, 6L);
    TreeSet<Long> all = new TreeSet<>(received);
    all.addAll(replayed);
    assertThat(all).containsExactlyElementsOf(LongStream.rangeClosed(1, 6).boxed().toList());
  }

  @Test
  void aPatientScopedSubscriberGetsOnlyWhatItMayRead() throws Exception {
    IGenericClient patientApp =
        api.client(
            api.token("ws-patient-app", "patient/Subscription.cruds patient/AuditEvent.rs", "p1"));
    Subscription s = websocket("full-resource");
    s.addFilterBy().setFilterParameter("patient").setValue("Patient/p2");
    String id = create(patientApp, s);
    try (SocketClient socket = new SocketClient(url())) {
      socket.bind(token(patientApp, id));
      await().atMost(WAIT).until(() -> socket.of(id, "handshake").size() == 1);
      api.notify(id, 1, SubscriptionApi.event("ws-other-patient", "Patient/p2"));
      api.notify(id, 2, SubscriptionApi.event("ws-own-patient", "Patient/p1"));
      await().atMost(WAIT).until(() -> !socket.numbers(id).isEmpty());
      assertThat(socket.numbers(id)).containsExactly(2L);
      assertThat(((Bundle) socket.of(id, "event-notification").get(0).resource()).getEntry())
          .hasSize(2);
    }
  }

  @Test
  void theCapabilityStatementDeclaresTheChannelAndTheOperation() {
    CapabilityStatement cs = admin.capabilities().ofType(CapabilityStatement.class).execute();
    assertThat(
            cs.getRestFirstRep()
                .getExtensionByUrl(SubscriptionCapabilityInterceptor.WEBSOCKET)
                .getValue()
                .primitiveValue())
        .isEqualTo(url());
    var subscription =
        cs.getRestFirstRep().getResource().stream()
            .filter(r -> r.getType().equals("Subscription"))
            .findFirst()
            .orElseThrow();
    assertThat(subscription.getOperation())
        .filteredOn(o -> o.getName().endsWith("get-ws-binding-token"))
        .extracting(o -> o.getDefinition())
        .containsExactly(SubscriptionCapabilityInterceptor.GET_WS_BINDING_TOKEN);
  }

  @Test
  void aSocketOnAnotherNodeIsSentItsSubscriptionAndOutlivesTheHeaderTimeout() throws Exception {
    String id = create(admin, websocket("id-only"));
    String token = token(admin, id); // issued by the first node
    try (SubscriptionApi.Node second =
            api.anotherNode(
                SubscriptionSettings.DEFAULTS.withWsPingPeriod(Duration.ofSeconds(1)),
                new org.atnabridge.search.ListenerSettings(
                    Duration.ofSeconds(2), Duration.ofSeconds(1), 4096, 256));
        SocketClient socket =
            new SocketClient(
                second.server().baseUrl().replace("http://", "ws://") + "/websocket")) {
      // the second node's view of audit.subscriptions has the subscription once it read it
      await().atMost(WAIT).until(() -> second.subscriptions().registry().get(id).isPresent());
      socket.bind(token);
      await().atMost(WAIT).until(() -> socket.of(id, "handshake").size() == 1);
      assertThat(socket.of(id, "handshake").get(0).status().getSubscription().getReference())
          .startsWith(second.server().baseUrl());
      // past --http-header-timeout (1 s) and --http-idle-timeout (2 s): the socket stays open
      Instant bound = Instant.now();
      await().atMost(WAIT).until(() -> Instant.now().isAfter(bound.plusSeconds(4)));
      assertThat(socket.closedWith).isEqualTo(-1);
      api.notify(id, 1, SubscriptionApi.event("node2-1", "Patient/p1"));
      api.notify(id, 2, SubscriptionApi.event("node2-2", "Patient/p1"));
      await().atMost(WAIT).until(() -> socket.numbers(id).size() == 2);
      assertThat(socket.numbers(id)).containsExactly(1L, 2L);
      assertThat(socket.pings.get()).isGreaterThanOrEqualTo(3);
    }
  }
}
