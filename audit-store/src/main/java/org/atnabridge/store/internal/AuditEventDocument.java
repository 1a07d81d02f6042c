package org.atnabridge.store.internal;

import static org.atnabridge.store.internal.IndexFields.*;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.atnabridge.schemas.Fhir;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.Reference;
import org.jspecify.annotations.Nullable;

/**
 * The searchable projection of one R5 AuditEvent plus its full JSON. Both engines index exactly
 * these values, which is what makes them answer a query identically.
 *
 * @param id {@code AuditEvent.id} (the id part, without type or version)
 * @param recordedMillis {@code AuditEvent.recorded} as epoch millis
 * @param keywords field name ({@link IndexFields#KEYWORDS}) to its distinct values; fields
 *     without values are absent
 * @param json the resource as compact FHIR JSON, returned verbatim by reads and searches
 */
public record AuditEventDocument(String id, long recordedMillis, Map<String, Set<String>> keywords, String json) {

  public AuditEventDocument {
    keywords = Map.copyOf(keywords);
  }

  /**
   * @throws IllegalArgumentException when the event has no id or no {@code recorded}: without
   *     them it can be neither replaced idempotently nor placed in the sort order
   */
  public static AuditEventDocument from(AuditEvent event) {
    String id = Objects.requireNonNull(idOf(requireIndexable(event)));
    Map<String, Set<String>> k = new LinkedHashMap<>();
    if (event.hasPatient()) {
      reference(k, event.getPatient(), PATIENT_IDENTIFIER, PATIENT_IDENTIFIER_VALUE, PATIENT_REFERENCE);
    }
    for (AuditEvent.AuditEventAgentComponent agent : event.getAgent()) {
      if (agent.hasWho()) {
        reference(k, agent.getWho(), AGENT_IDENTIFIER, AGENT_IDENTIFIER_VALUE, AGENT_REFERENCE);
      }
    }
    if (event.hasSource() && event.getSource().hasObserver()) {
      identifier(k, event.getSource().getObserver().getIdentifier(), SOURCE_IDENTIFIER, SOURCE_IDENTIFIER_VALUE);
    }
    if (event.hasAction()) {
      add(k, ACTION, event.getAction().toCode());
    }
    if (event.hasOutcome() && event.getOutcome().hasCode()) {
      add(k, OUTCOME, event.getOutcome().getCode().getCode());
    }
    if (event.hasCode()) {
      concept(k, event.getCode(), CODE, CODE_VALUE);
    }
    for (CodeableConcept category : event.getCategory()) {
      concept(k, category, CATEGORY, CATEGORY_VALUE);
    }
    return new AuditEventDocument(id, event.getRecorded().getTime(), k, Fhir.toJson(event));
  }

  /**
   * The event itself, if a store can take it.
   *
   * @throws IllegalArgumentException when it lacks an id or {@code recorded}
   */
  public static AuditEvent requireIndexable(@Nullable AuditEvent event) {
    if (event == null) {
      throw new IllegalArgumentException("no AuditEvent");
    }
    String id = idOf(event);
    if (id == null) {
      throw new IllegalArgumentException("AuditEvent without id");
    }
    if (event.getRecorded() == null) {
      throw new IllegalArgumentException("AuditEvent/" + id + " without recorded");
    }
    return event;
  }

  /** The resource id without type and version, or null when unset. */
  public static @Nullable String idOf(AuditEvent event) {
    String id = event.getIdElement().getIdPart();
    return id == null || id.isBlank() ? null : id;
  }

  public Set<String> values(String field) {
    return keywords.getOrDefault(field, Set.of());
  }

  private static void reference(Map<String, Set<String>> k, Reference r, String tokenField, String valueField,
      String referenceField) {
    if (r.hasReference()) {
      add(k, referenceField, r.getReference());
    }
    if (r.hasIdentifier()) {
      identifier(k, r.getIdentifier(), tokenField, valueField);
    }
  }

  private static void identifier(Map<String, Set<String>> k, Identifier id, String tokenField, String valueField) {
    if (id.hasValue()) {
      add(k, tokenField, token(id.hasSystem() ? id.getSystem() : null, id.getValue()));
      add(k, valueField, id.getValue());
    }
  }

  private static void concept(Map<String, Set<String>> k, CodeableConcept concept, String tokenField,
      String valueField) {
    for (Coding c : concept.getCoding()) {
      if (c.hasCode()) {
        add(k, tokenField, token(c.hasSystem() ? c.getSystem() : null, c.getCode()));
        add(k, valueField, c.getCode());
      }
    }
  }

  private static void add(Map<String, Set<String>> k, String field, @Nullable String value) {
    if (value != null && !value.isEmpty()) {
      k.computeIfAbsent(field, f -> new LinkedHashSet<>()).add(value);
    }
  }
}
