package org.atnabridge.search.subscription;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.atnabridge.schemas.subscription.BuiltInTopics;
import org.atnabridge.store.SearchField;
import org.hl7.fhir.r5.model.Enumeration;
import org.hl7.fhir.r5.model.Enumerations;
import org.hl7.fhir.r5.model.Enumerations.SearchModifierCode;
import org.hl7.fhir.r5.model.SubscriptionTopic;

/**
 * The built-in SubscriptionTopics (FHIR R5 topic-based subscriptions): {@link
 * BuiltInTopics#AUDIT_EVENT}, every AuditEvent stored, and {@link BuiltInTopics#SECURITY_ALERT},
 * AuditEvents of category DCM 110113. Both can be filtered by the same AuditEvent search
 * parameters, each with the modifiers the AuditEvent search answers for its type ({@link
 * SearchField}), so a filter means exactly what the same parameter means in a search.
 */
public final class SubscriptionTopics {

  /** The AuditEvent search parameters a Subscription may filter on, in this order. */
  public static final List<String> FILTER_PARAMETERS =
      List.of(
          "patient",
          "agent",
          "category",
          "code",
          "subtype",
          "action",
          "outcome",
          "source",
          "entity",
          "purpose",
          "type");

  private static final Map<String, SubscriptionTopic> BY_URL = new LinkedHashMap<>();

  static {
    BY_URL.put(
        BuiltInTopics.AUDIT_EVENT,
        topic(
            "audit-event",
            BuiltInTopics.AUDIT_EVENT,
            "AuditEvent",
            "Every AuditEvent stored in this repository.",
            null));
    BY_URL.put(
        BuiltInTopics.SECURITY_ALERT,
        topic(
            "security-alert",
            BuiltInTopics.SECURITY_ALERT,
            "Security Alert",
            "AuditEvents of category DCM 110113 (Security Alert), as the alert rules post them.",
            "AuditEvent.category.coding.where(system = 'http://dicom.nema.org/resources/ontology/DCM'"
                + " and code = '110113').exists()"));
  }

  private SubscriptionTopics() {}

  /** Fresh copies of every built-in topic, in a stable order. */
  public static List<SubscriptionTopic> all() {
    return BY_URL.values().stream().map(SubscriptionTopic::copy).toList();
  }

  /** The topic with canonical URL {@code url}, a fresh copy. */
  public static Optional<SubscriptionTopic> byUrl(String url) {
    SubscriptionTopic t = BY_URL.get(url);
    return t == null ? Optional.empty() : Optional.of(t.copy());
  }

  /** The topic with logical id {@code id}, a fresh copy. */
  public static Optional<SubscriptionTopic> byId(String id) {
    return BY_URL.values().stream()
        .filter(t -> t.getIdPart().equals(id))
        .findFirst()
        .map(SubscriptionTopic::copy);
  }

  /** The modifiers (codes, e.g. {@code not}) the AuditEvent search takes for {@code parameter}. */
  public static Set<String> modifiers(String parameter) {
    return SearchField.fhirParameter(parameter)
        .map(
            f ->
                f.modifiers().stream()
                    .map(SearchField.Modifier::code)
                    .collect(Collectors.toUnmodifiableSet()))
        .orElse(Set.of());
  }

  private static SubscriptionTopic topic(
      String id,
      String url,
      String title,
      String description,
      @org.jspecify.annotations.Nullable String fhirPath) {
    SubscriptionTopic t = new SubscriptionTopic();
    t.setId(id);
    t.setUrl(url);
    t.setName(id.replace("-", ""));
    t.setTitle(title);
    t.setStatus(Enumerations.PublicationStatus.ACTIVE);
    t.setDescription(description);
    SubscriptionTopic.SubscriptionTopicResourceTriggerComponent trigger = t.addResourceTrigger();
    trigger.setResource("AuditEvent");
    trigger.setDescription(description);
    trigger.addSupportedInteraction(SubscriptionTopic.InteractionTrigger.CREATE);
    if (fhirPath != null) {
      trigger.setFhirPathCriteria(fhirPath);
    }
    for (String name : FILTER_PARAMETERS) {
      SearchField field =
          SearchField.fhirParameter(name)
              .orElseThrow(() -> new IllegalStateException("not an AuditEvent parameter: " + name));
      SubscriptionTopic.SubscriptionTopicCanFilterByComponent f = t.addCanFilterBy();
      f.setResource("AuditEvent");
      f.setFilterParameter(name);
      f.setDescription(
          "as the AuditEvent search parameter "
              + name
              + " ("
              + field.type().name().toLowerCase(java.util.Locale.ROOT)
              + ")");
      field.modifiers().stream()
          .map(SearchField.Modifier::code)
          .sorted()
          .forEach(
              m -> {
                Enumeration<SearchModifierCode> e =
                    new Enumeration<>(new Enumerations.SearchModifierCodeEnumFactory());
                e.setValue(SearchModifierCode.fromCode(m));
                f.getModifier().add(e);
              });
    }
    t.addNotificationShape().setResource("AuditEvent");
    return t;
  }
}
