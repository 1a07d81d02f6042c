package org.atnabridge.search.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import org.hl7.fhir.r5.model.Enumerations.SubscriptionStatusCodes;
import org.hl7.fhir.r5.model.Subscription;
import org.junit.jupiter.api.Test;

/**
 * Delivery under settings the shared fixture does not use: a backlog of two notifications per
 * subscription (so a subscription that is behind is read again from the topic while another on its
 * partition goes on), and a retry deadline of a second (events past it are given up, the later ones
 * delivered).
 */
class SubscriptionDeliveryIT {

  private static final Duration WAIT = Duration.ofSeconds(60);

  private static List<Long> numbers(HookReceiver receiver, String path) {
    Set<Long> out = new LinkedHashSet<>();
    List<Long> arrival = new ArrayList<>();
    for (HookReceiver.Received r : receiver.at(path, "event-notification")) {
      r.status()
          .getNotificationEvent()
          .forEach(
              e -> {
                if (out.add(e.getEventNumber())) {
                  arrival.add(e.getEventNumber());
                }
              });
    }
    return arrival;
  }

  private static String create(
      SubscriptionApi api, IGenericClient client, HookReceiver receiver, String path) {
    Subscription s = new Subscription();
    s.setTopic(org.atnabridge.schemas.subscription.BuiltInTopics.AUDIT_EVENT);
    s.setChannelType(
        new org.hl7.fhir.r5.model.Coding(
            SubscriptionValidator.CHANNEL_TYPE_SYSTEM, "rest-hook", null));
    s.setEndpoint(receiver.url(path));
    s.setMaxCount(1);
    String id = client.create().resource(s).execute().getId().getIdPart();
    await()
        .atMost(WAIT)
        .until(
            () ->
                client.read().resource(Subscription.class).withId(id).execute().getStatus()
                    == SubscriptionStatusCodes.ACTIVE);
    return id;
  }

  @Test
  void aSubscriptionPastItsBacklogIsReadAgainFromTheTopicAndGetsEverythingInOrder()
      throws Exception {
    try (HookReceiver receiver = new HookReceiver();
        SubscriptionApi api =
            new SubscriptionApi(
                SubscriptionSettings.DEFAULTS
                    .withAllowHttp(true)
                    .withEndpoints(List.of(receiver.prefix()))
                    .withBackoff(Duration.ofMillis(100), Duration.ofMillis(300))
                    .withMaxBacklog(2))) {
      IGenericClient client =
          api.client(api.token("ops", "system/Subscription.cruds system/AuditEvent.rs", null));
      String behind = create(api, client, receiver, "/behind");
      String other = null;
      for (int i = 0; i < 12 && other == null; i++) {
        String candidate = create(api, client, receiver, "/other");
        if (NotificationLog.partitionOf(candidate, 3) == NotificationLog.partitionOf(behind, 3)) {
          other = candidate;
        } else {
          client.delete().resourceById("Subscription", candidate).execute();
        }
      }
      assertThat(other).isNotNull();

      receiver.status.put("/behind", 503);
      for (long n = 1; n <= 12; n++) {
        api.notify(behind, n, SubscriptionApi.event("behind" + n, "Patient/p1"));
        api.notify(other, n, SubscriptionApi.event("other" + n, "Patient/p1"));
      }
      await().atMost(WAIT).until(() -> numbers(receiver, "/other").size() == 12);
      assertThat(numbers(receiver, "/behind")).isEmpty();

      receiver.status.remove("/behind");
      await().atMost(WAIT).until(() -> numbers(receiver, "/behind").size() == 12);
      List<Long> all = LongStream.rangeClosed(1, 12).boxed().toList();
      assertThat(numbers(receiver, "/behind")).containsExactlyElementsOf(all);
      assertThat(numbers(receiver, "/other")).containsExactlyElementsOf(all);
    }
  }

  @Test
  void afterTheRetryDeadlineTheEventsAreGivenUpAndLaterOnesDelivered() throws Exception {
    try (HookReceiver receiver = new HookReceiver();
        SubscriptionApi api =
            new SubscriptionApi(
                SubscriptionSettings.DEFAULTS
                    .withAllowHttp(true)
                    .withEndpoints(List.of(receiver.prefix()))
                    .withBackoff(Duration.ofMillis(100), Duration.ofMillis(200))
                    .withRetryDeadline(Duration.ofSeconds(1)))) {
      IGenericClient client =
          api.client(api.token("ops", "system/Subscription.cruds system/AuditEvent.rs", null));
      String id = create(api, client, receiver, "/deadline");
      receiver.status.put("/deadline", 500);
      api.notify(id, 1, SubscriptionApi.event("gone1", "Patient/p1"));
      await()
          .atMost(WAIT)
          .until(
              () ->
                  api.meters.find(DeliveryMetrics.GIVEN_UP).counter() != null
                      && api.meters.find(DeliveryMetrics.GIVEN_UP).counter().count() >= 1);
      receiver.status.remove("/deadline");
      api.notify(id, 2, SubscriptionApi.event("kept2", "Patient/p1"));
      await().atMost(WAIT).until(() -> numbers(receiver, "/deadline").contains(2L));
      assertThat(numbers(receiver, "/deadline")).containsExactly(2L);
    }
  }
}
