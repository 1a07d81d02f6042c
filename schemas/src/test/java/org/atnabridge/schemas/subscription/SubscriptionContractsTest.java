package org.atnabridge.schemas.subscription;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Set;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Subscription;
import org.junit.jupiter.api.Test;

class SubscriptionContractsTest {

  @Test
  void notification_roundTripsThroughItsJson() {
    AuditEvent event = new AuditEvent();
    event.setId("ev-1");
    event
        .getCode()
        .addCoding()
        .setSystem("http://dicom.nema.org/resources/ontology/DCM")
        .setCode("110110");
    var n =
        new SubscriptionNotification(
            "sub-1", 42, BuiltInTopics.AUDIT_EVENT, Instant.parse("2026-12-07T06:00:00Z"), event);

    SubscriptionNotification back =
        SubscriptionNotificationJson.read(SubscriptionNotificationJson.write(n));

    assertThat(back.subscriptionId()).isEqualTo("sub-1");
    assertThat(back.eventNumber()).isEqualTo(42);
    assertThat(back.topic()).isEqualTo(BuiltInTopics.AUDIT_EVENT);
    assertThat(back.matchedAt()).isEqualTo(Instant.parse("2026-12-07T06:00:00Z"));
    assertThat(back.focus()).isEqualTo("AuditEvent/ev-1");
    assertThat(back.event().getCode().getCodingFirstRep().getCode()).isEqualTo("110110");
  }

  @Test
  void notification_refusesAnotherVersionAndGarbage() {
    assertThatThrownBy(() -> SubscriptionNotificationJson.read("{\"version\":2}".getBytes(UTF_8)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SubscriptionNotificationJson.read("<xml/>".getBytes(UTF_8)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new SubscriptionNotification(
                    "s", 0, BuiltInTopics.AUDIT_EVENT, Instant.EPOCH, new AuditEvent()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void subscriberAccess_isRecordedReadAndStripped() {
    Subscription s = new Subscription();
    var access = new SubscriberAccess("alice", "urn:oid:1.2.3|MRN-1", null, Set.of("R"), true);
    access.writeTo(s);
    new SubscriberAccess("bob", null, null, Set.of(), false).writeTo(s); // replaces, never adds

    assertThat(SubscriberAccess.readFrom(s))
        .contains(new SubscriberAccess("bob", null, null, Set.of(), false));
    access.writeTo(s);
    assertThat(SubscriberAccess.readFrom(s)).contains(access);

    SubscriberAccess.strip(s);
    assertThat(s.getExtension()).isEmpty();
    assertThat(SubscriberAccess.readFrom(s)).isEmpty();
  }
}
