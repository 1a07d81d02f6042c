package org.atnabridge.search.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.Collectors;
import org.atnabridge.schemas.subscription.BuiltInTopics;
import org.hl7.fhir.r5.model.Enumeration;
import org.hl7.fhir.r5.model.SubscriptionTopic;
import org.junit.jupiter.api.Test;

class SubscriptionTopicsTest {

  @Test
  void bothBuiltInTopicsFilterOnTheAuditEventParametersWithTheirSearchModifiers() {
    assertThat(SubscriptionTopics.all())
        .extracting(SubscriptionTopic::getUrl)
        .containsExactly(BuiltInTopics.AUDIT_EVENT, BuiltInTopics.SECURITY_ALERT);
    for (SubscriptionTopic t : SubscriptionTopics.all()) {
      Map<String, String> modifiers =
          t.getCanFilterBy().stream()
              .collect(
                  Collectors.toMap(
                      SubscriptionTopic.SubscriptionTopicCanFilterByComponent::getFilterParameter,
                      c ->
                          c.getModifier().stream()
                              .map(Enumeration::getCode)
                              .sorted()
                              .collect(Collectors.joining(","))));
      assertThat(modifiers)
          .containsExactlyInAnyOrderEntriesOf(
              Map.ofEntries(
                  Map.entry("patient", "identifier,missing"),
                  Map.entry("agent", "identifier,missing"),
                  Map.entry("source", "identifier,missing"),
                  Map.entry("entity", "identifier,missing"),
                  Map.entry("category", "missing,not"),
                  Map.entry("type", "missing,not"),
                  Map.entry("code", "missing,not"),
                  Map.entry("subtype", "missing,not"),
                  Map.entry("action", "missing,not"),
                  Map.entry("outcome", "missing,not"),
                  Map.entry("purpose", "missing,not")));
    }
    assertThat(
            SubscriptionTopics.byUrl(BuiltInTopics.SECURITY_ALERT)
                .orElseThrow()
                .getResourceTriggerFirstRep()
                .getFhirPathCriteria())
        .contains("110113");
  }
}
