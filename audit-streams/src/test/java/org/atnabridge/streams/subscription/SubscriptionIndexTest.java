package org.atnabridge.streams.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.atnabridge.streams.subscription.SubscriptionFixtures.USER;
import static org.atnabridge.streams.subscription.SubscriptionFixtures.event;
import static org.atnabridge.streams.subscription.SubscriptionFixtures.labelled;
import static org.atnabridge.streams.subscription.SubscriptionFixtures.other;
import static org.atnabridge.streams.subscription.SubscriptionFixtures.patientScoped;
import static org.atnabridge.streams.subscription.SubscriptionFixtures.subscription;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.atnabridge.schemas.subscription.BuiltInTopics;
import org.atnabridge.schemas.subscription.SubscriberAccess;
import org.atnabridge.store.EventValues;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Reference;
import org.junit.jupiter.api.Test;

/**
 * The index finds exactly the subscriptions a test of every one would (it only leaves out those
 * that cannot match), and for subscriptions pinned to a patient it offers only that patient's.
 */
class SubscriptionIndexTest {

  private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

  @Test
  void tenThousandPatientSubscriptions_anEventIsTestedOnlyAgainstItsPatients() {
    SubscriptionIndex index = new SubscriptionIndex();
    for (int i = 0; i < 10_000; i++) {
      put(index, "s" + i, subscription("patient:identifier=urn:oid:1.2.3.4|p" + i));
    }
    EventValues values = EventValues.of(event("e1", "p4242"));
    assertThat(index.scanned()).isZero();
    assertThat(index.candidates(values))
        .extracting(ActiveSubscription::id)
        .containsExactly("s4242");
    assertThat(index.matching(values, NOW))
        .extracting(ActiveSubscription::id)
        .containsExactly("s4242");
    assertThat(index.candidates(EventValues.of(event("e2", null)))).isEmpty();
  }

  @Test
  void theIndex_findsWhatTestingEverySubscriptionFinds() {
    List<String[]> filters =
        List.of(
            new String[] {"patient:identifier=urn:oid:1.2.3.4|p1"},
            new String[] {"patient:identifier=p1,p2"},
            new String[] {"patient=Patient/p1"},
            new String[] {"patient=p1"},
            new String[] {"patient:missing=true"},
            new String[] {"agent:identifier=alice", "outcome=0"},
            new String[] {"agent:identifier=bob", "category=110112"},
            new String[] {"entity=DocumentReference/d1"},
            new String[] {"entity=d2", "patient:identifier=p2"},
            new String[] {"source:identifier=EHR-1"},
            new String[] {"outcome:not=0"},
            new String[] {"category:not=110110", "action=E"},
            new String[] {"purpose=TREAT,ETREAT"},
            new String[] {"code=110110"},
            new String[] {"_id=e1"},
            new String[] {});
    List<SubscriberAccess> accesses =
        List.of(
            USER,
            patientScoped("p1"),
            new SubscriberAccess("u", "Patient/p1", "urn:oid:1.2.3.4", Set.of("R"), true),
            new SubscriberAccess("v", null, null, Set.of("V"), false));
    SubscriptionIndex index = new SubscriptionIndex();
    List<ActiveSubscription> all = new ArrayList<>();
    int n = 0;
    for (String[] f : filters) {
      for (SubscriberAccess a : accesses) {
        for (String topic : BuiltInTopics.ALL) {
          ActiveSubscription s =
              SubscriptionCompiler.compile("s" + n++, subscription(topic, a, f)).orElseThrow();
          index.put(s.id(), s);
          all.add(s);
        }
      }
    }
    AuditEvent literal = event("e5", null);
    literal.setPatient(new Reference("Patient/p1"));
    AuditEvent alert = event("e6", "p1");
    alert.getCategoryFirstRep().getCodingFirstRep().setCode("110113");
    List<AuditEvent> events =
        List.of(
            event("e1", "p1"),
            event("e2", "p2"),
            other("e3"),
            event("e4", null),
            literal,
            alert,
            labelled(event("e7", "p1"), "R"),
            labelled(other("e8"), "V"));
    int matchedSomewhere = 0;
    for (AuditEvent e : events) {
      EventValues values = EventValues.of(e);
      List<String> expected =
          all.stream().filter(s -> s.matches(values, NOW)).map(ActiveSubscription::id).toList();
      assertThat(index.matching(values, NOW))
          .as("event %s", e.getIdPart())
          .extracting(ActiveSubscription::id)
          .containsExactlyInAnyOrderElementsOf(expected);
      assertThat(index.candidates(values).size())
          .as("candidates of %s", e.getIdPart())
          .isLessThan(all.size());
      matchedSomewhere += expected.size();
    }
    assertThat(matchedSomewhere).isGreaterThan(events.size());
  }

  @Test
  void anUpdateReplacesTheSubscription_aRemovalForgetsIt() {
    SubscriptionIndex index = new SubscriptionIndex();
    put(index, "s1", subscription("patient:identifier=p1"));
    put(index, "s1", subscription("patient:identifier=p2"));
    assertThat(index.matching(EventValues.of(event("e1", "p1")), NOW)).isEmpty();
    assertThat(index.matching(EventValues.of(event("e2", "p2")), NOW)).hasSize(1);
    index.put("s1", null); // still stored, not matched (e.g. status off)
    assertThat(index.known("s1")).isTrue();
    assertThat(index.active()).isZero();
    assertThat(index.matching(EventValues.of(event("e2", "p2")), NOW)).isEmpty();
    put(index, "s2", subscription("outcome:not=8"));
    assertThat(index.scanned()).isEqualTo(1);
    index.remove("s2");
    index.remove("s1");
    assertThat(index.known("s1")).isFalse();
    assertThat(index.scanned()).isZero();
    assertThat(index.candidates(EventValues.of(event("e2", "p2")))).isEmpty();
  }

  private static void put(
      SubscriptionIndex index, String id, org.hl7.fhir.r5.model.Subscription s) {
    index.put(id, SubscriptionCompiler.compile(id, s).orElseThrow());
  }
}
