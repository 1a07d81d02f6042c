package org.atnabridge.store.internal;

import static org.atnabridge.schemas.vocab.CodeSystems.AUDIT_EVENT_ACTION;
import static org.atnabridge.schemas.vocab.CodeSystems.AUDIT_EVENT_SEVERITY;
import static org.atnabridge.schemas.vocab.CodeSystems.RESOURCE_TYPES;
import static org.atnabridge.schemas.vocab.Extensions.CORRELATION_ID;
import static org.atnabridge.schemas.vocab.Extensions.HL7_ALTERNATIVE_USER_ID;
import static org.atnabridge.schemas.vocab.Extensions.PARTICIPANT_OBJECT_DESCRIPTION;
import static org.atnabridge.schemas.vocab.Extensions.PARTICIPANT_OBJECT_TYPE;
import static org.atnabridge.store.internal.IndexFields.*;

import java.text.Normalizer;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.schemas.RawRecordReference;
import org.atnabridge.schemas.chain.ReceiptTime;
import org.atnabridge.schemas.vocab.Extensions;
import org.atnabridge.store.SearchField;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.AuditEvent.AuditEventAgentComponent;
import org.hl7.fhir.r5.model.AuditEvent.AuditEventEntityComponent;
import org.hl7.fhir.r5.model.BaseDateTimeType;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.DataType;
import org.hl7.fhir.r5.model.Extension;
import org.hl7.fhir.r5.model.IdType;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.Reference;
import org.jspecify.annotations.Nullable;

/**
 * The searchable projection of one R5 AuditEvent plus its full JSON. Both engines index exactly
 * these values, which is what makes them answer a query identically (the contract test checks it).
 * Which element feeds which {@link SearchField} is documented on the field.
 *
 * @param id {@code AuditEvent.id} (the id part, without type or version)
 * @param recordedMillis {@code AuditEvent.recorded} as epoch millis
 * @param lastUpdatedMillis {@code meta.lastUpdated}, else {@code recorded}
 * @param receivedMillis the receipt time ({@link ReceiptTime}: the receipt's {@code received-at},
 *     else {@code recorded})
 * @param keywords physical field name ({@link IndexFields}) to its distinct values
 * @param text the free-text content, words separated by newlines
 * @param json the resource as compact FHIR JSON, returned verbatim by reads and searches
 */
public record AuditEventDocument(
    String id,
    long recordedMillis,
    long lastUpdatedMillis,
    long receivedMillis,
    Map<String, Set<String>> keywords,
    String text,
    String json) {

  private static final Pattern MARKS = Pattern.compile("\\p{M}+");

  public AuditEventDocument {
    keywords = keywords instanceof FrozenKeywords ? keywords : Map.copyOf(keywords);
  }

  /**
   * @throws IllegalArgumentException when the event has no id or no {@code recorded}: without them
   *     it can be neither replaced idempotently nor placed in the sort order
   */
  public static AuditEventDocument from(AuditEvent event) {
    return project(event, true, ProjectedFields.ALL);
  }

  /**
   * The searchable projection alone, {@link #json} empty: what matching an event in memory reads
   * (the values and text, never the JSON), without the cost of serializing the event.
   *
   * @throws IllegalArgumentException as {@link #from}
   */
  public static AuditEventDocument searchable(AuditEvent event) {
    return project(event, false, ProjectedFields.ALL);
  }

  /**
   * The searchable projection onto the fields of {@code scope} only, {@link #json} empty: for
   * readers that are known to read no other field (a set of alert rules); elements that feed none
   * of them are not visited.
   *
   * @throws IllegalArgumentException as {@link #from}
   */
  public static AuditEventDocument searchable(AuditEvent event, ProjectedFields scope) {
    return project(event, false, scope);
  }

  private static AuditEventDocument project(
      AuditEvent event, boolean withJson, ProjectedFields scope) {
    String id = Objects.requireNonNull(idOf(requireIndexable(event)));
    FieldExtractor x = new FieldExtractor(scope);
    long recorded = event.getRecorded().getTime();
    long lastUpdated =
        event.getMeta().hasLastUpdated() ? event.getMeta().getLastUpdated().getTime() : recorded;
    x.present(SearchField.ID);
    x.present(SearchField.DATE);
    x.present(SearchField.LAST_UPDATED);
    x.present(SearchField.RECEIVED);
    Long receivedAt = receivedAt(event);
    long received = receivedAt == null ? recorded : receivedAt;

    event.getMeta().getTag().forEach(c -> x.coding(SearchField.TAG, c));
    event.getMeta().getSecurity().forEach(c -> x.coding(SearchField.SECURITY, c));
    event.getMeta().getProfile().forEach(p -> x.uri(SearchField.PROFILE, p.getValue()));

    if (event.hasAction()) {
      x.token(SearchField.ACTION, AUDIT_EVENT_ACTION, event.getAction().toCode());
    }
    if (event.hasSeverity()) {
      x.token(SearchField.SEVERITY, AUDIT_EVENT_SEVERITY, event.getSeverity().toCode());
    }
    event.getCategory().forEach(c -> x.concept(SearchField.CATEGORY, c));
    if (event.hasCode()) {
      x.concept(SearchField.CODE, event.getCode());
    }
    if (event.hasOutcome()) {
      if (event.getOutcome().hasCode()) {
        outcome(x, event.getOutcome().getCode());
      }
      event.getOutcome().getDetail().forEach(d -> x.text(d.getText()));
    }
    event.getAuthorization().forEach(c -> x.concept(SearchField.PURPOSE, c));
    event.getBasedOn().forEach(r -> x.reference(SearchField.BASED_ON, r));
    if (event.hasEncounter()) {
      x.reference(SearchField.ENCOUNTER, event.getEncounter());
    }
    if (event.hasPatient()) {
      x.reference(SearchField.PATIENT, event.getPatient());
    }

    for (AuditEventAgentComponent agent : event.getAgent()) {
      if (agent.hasWho()) {
        x.reference(SearchField.AGENT, agent.getWho());
        x.string(SearchField.AGENT_NAME, agent.getWho().getDisplay());
      }
      if (agent.hasType()) {
        x.concept(SearchField.AGENT_TYPE, agent.getType());
      }
      agent.getRole().forEach(c -> x.concept(SearchField.AGENT_ROLE, c));
      agent.getPolicy().forEach(p -> x.uri(SearchField.POLICY, p.getValue()));
      agent.getAuthorization().forEach(c -> x.concept(SearchField.PURPOSE, c));
      if (agent.hasNetworkStringType()) {
        x.string(SearchField.ADDRESS, agent.getNetworkStringType().getValue());
      } else if (agent.hasNetworkUriType()) {
        x.string(SearchField.ADDRESS, agent.getNetworkUriType().getValue());
      } else if (agent.hasNetworkReference()) {
        x.string(SearchField.ADDRESS, agent.getNetworkReference().getDisplay());
      }
      if (!scope.visits(SearchField.ALTID) && !scope.text()) {
        continue; // the last element of an agent: nothing else of it is read
      }
      for (Extension e : agent.getExtensionsByUrl(HL7_ALTERNATIVE_USER_ID)) {
        if (e.getValue() instanceof Identifier alt) {
          x.namingToken(
              SearchField.ALTID,
              alt.hasSystem() ? alt.getSystem() : null,
              alt.hasValue() ? alt.getValue() : null);
        } else if (e.getValue() != null && e.getValue().isPrimitive()) {
          x.namingToken(SearchField.ALTID, null, e.getValue().primitiveValue());
        }
      }
    }

    if (event.hasSource()) {
      AuditEvent.AuditEventSourceComponent source = event.getSource();
      if (source.hasObserver()) {
        x.reference(SearchField.SOURCE, source.getObserver());
      }
      source.getType().forEach(c -> x.concept(SearchField.SOURCE_TYPE, c));
      if (source.hasSite()) {
        Reference site = source.getSite();
        if (site.hasIdentifier() && site.getIdentifier().hasValue()) {
          Identifier siteId = site.getIdentifier();
          x.namingToken(
              SearchField.SITE, siteId.hasSystem() ? siteId.getSystem() : null, siteId.getValue());
        }
        if (site.hasDisplay()) {
          x.token(SearchField.SITE, null, site.getDisplay());
          x.text(site.getDisplay());
        }
      }
    }

    for (AuditEventEntityComponent entity : event.getEntity()) {
      if (entity.hasWhat()) {
        Reference what = entity.getWhat();
        x.reference(SearchField.ENTITY, what);
        x.string(SearchField.ENTITY_NAME, what.getDisplay());
        String type = what.hasType() ? what.getType() : typeOf(what.getReference());
        if (type != null) {
          x.token(SearchField.ENTITY_TYPE, RESOURCE_TYPES, type);
        }
      }
      if (entity.hasRole()) {
        x.concept(SearchField.ENTITY_ROLE, entity.getRole());
      }
      entity.getSecurityLabel().forEach(c -> x.concept(SearchField.ENTITY_SECURITY_LABEL, c));
      if (!scope.visits(SearchField.ENTITY_TYPE) && !scope.text()) {
        continue; // the extensions and details of an entity feed its type and the text only
      }
      for (Extension e : entity.getExtension()) {
        if (PARTICIPANT_OBJECT_TYPE.equals(e.getUrl()) && e.getValue() instanceof Coding c) {
          x.coding(SearchField.ENTITY_TYPE, c);
        } else if (PARTICIPANT_OBJECT_DESCRIPTION.equals(e.getUrl())) {
          e.getExtensionsByUrl("text")
              .forEach(t -> x.text(t.getValue() == null ? null : t.getValue().primitiveValue()));
        }
      }
      entity
          .getDetail()
          .forEach(
              d -> {
                if (d.hasType()) {
                  x.concept(null, d.getType());
                }
              });
    }

    if (visitsAny(scope, EXTENSION_FIELDS)) {
      for (Extension e : event.getExtension()) {
        extension(x, e);
      }
    }
    RawRecordReference raw =
        scope.visits(SearchField.RAW_RECORD) ? RawRecordReference.from(event) : null;
    if (raw != null) {
      x.token(
          SearchField.RAW_RECORD, null, raw.topic() + ":" + raw.partition() + ":" + raw.offset());
    }
    return new AuditEventDocument(
        id,
        recorded,
        lastUpdated,
        received,
        x.keywords(),
        x.text.toString(),
        withJson ? Fhir.toJson(event) : "");
  }

  /**
   * The {@code received-at} of the event's receipt as epoch millis, as {@link
   * ReceiptTime#receivedAt} reads it, or null; of several receipts (malformed) the first counts.
   */
  static @Nullable Long receivedAt(AuditEvent event) {
    for (Extension receipt : event.getExtension()) {
      if (Extensions.RAW_RECEIPT.equals(receipt.getUrl())) {
        for (Extension at : receipt.getExtension()) {
          if (Extensions.RECEIPT_RECEIVED_AT.equals(at.getUrl())) {
            return at.getValue() instanceof BaseDateTimeType t && t.getValue() != null
                ? t.getValue().getTime()
                : null;
          }
        }
        return null;
      }
    }
    return null;
  }

  /** The fields the event's own extensions feed ({@link #extension}); none of them free text. */
  private static final List<SearchField> EXTENSION_FIELDS =
      List.of(
          SearchField.EXTENSION,
          SearchField.CORRELATION_ID,
          SearchField.SYSLOG_FORMAT,
          SearchField.SYSLOG_FACILITY,
          SearchField.SYSLOG_SEVERITY,
          SearchField.SYSLOG_HOSTNAME,
          SearchField.SYSLOG_APP_NAME,
          SearchField.SYSLOG_PROCID,
          SearchField.SYSLOG_MSGID,
          SearchField.RECEIPT_TRANSPORT,
          SearchField.RECEIPT_PEER,
          SearchField.RECEIPT_LISTENER);

  private static boolean visitsAny(ProjectedFields scope, List<SearchField> fields) {
    for (SearchField f : fields) {
      if (scope.visits(f)) {
        return true;
      }
    }
    return false;
  }

  private static void outcome(FieldExtractor x, Coding c) {
    x.outcome(
        c.hasSystem() ? c.getSystem() : null, c.hasCode() ? c.getCode() : null, c.getDisplay());
  }

  private static void extension(FieldExtractor x, Extension e) {
    if (!e.hasUrl()) {
      return;
    }
    String url = e.getUrl();
    if (e.getValue() != null && e.getValue().isPrimitive()) {
      x.token(SearchField.EXTENSION, url, e.getValue().primitiveValue());
    }
    if (CORRELATION_ID.equals(url)) {
      x.token(SearchField.CORRELATION_ID, null, primitive(e.getValue()));
    }
    for (Extension sub : e.getExtension()) {
      String value = primitive(sub.getValue());
      if (value == null || !sub.hasUrl()) {
        continue;
      }
      x.token(SearchField.EXTENSION, url + "#" + sub.getUrl(), value);
      SearchField f = FieldExtractor.subExtensionField(url, sub.getUrl());
      if (f != null) {
        x.token(f, null, value);
      }
    }
  }

  private static @Nullable String primitive(@Nullable DataType v) {
    return v != null && v.isPrimitive() ? v.primitiveValue() : null;
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

  /**
   * The patients this event names, as {@link org.atnabridge.store.RaisedLabels} keys: identifier
   * tokens {@code system|value} with a system, and literal references {@code Patient/id}, of {@code
   * AuditEvent.patient} and every {@code entity.what}.
   */
  public Set<String> patientKeys() {
    Set<String> keys = new LinkedHashSet<>();
    for (SearchField f : new SearchField[] {SearchField.PATIENT, SearchField.ENTITY}) {
      for (String token : values(identifierField(f))) {
        if (!token.startsWith("|")) { // never a value alone: it may be another system's patient
          keys.add(token);
        }
      }
      for (String ref : values(refField(f))) {
        if (ref.startsWith("Patient/")) {
          keys.add(ref);
        }
      }
    }
    return keys;
  }

  /**
   * This document with {@code labels} ({@code system|code}) added to its indexed {@code _security}
   * values; the JSON is unchanged. Labels it carries already are not repeated.
   */
  public AuditEventDocument withIndexLabels(Set<String> labels) {
    if (labels.isEmpty()) {
      return this;
    }
    Map<String, Set<String>> k = new LinkedHashMap<>(keywords);
    Set<String> tokens =
        new LinkedHashSet<>(k.getOrDefault(tokenField(SearchField.SECURITY), Set.of()));
    Set<String> codes =
        new LinkedHashSet<>(k.getOrDefault(valueField(SearchField.SECURITY), Set.of()));
    Set<String> present = new LinkedHashSet<>(k.getOrDefault(PRESENT, Set.of()));
    for (String label : labels) {
      int bar = label.indexOf('|');
      if (bar < 0 || bar == label.length() - 1) {
        throw new IllegalArgumentException("label is not system|code: " + label);
      }
      tokens.add(label);
      codes.add(label.substring(bar + 1));
    }
    present.add(SearchField.SECURITY.code());
    k.put(tokenField(SearchField.SECURITY), tokens);
    k.put(valueField(SearchField.SECURITY), codes);
    k.put(PRESENT, present);
    return new AuditEventDocument(
        id, recordedMillis, lastUpdatedMillis, receivedMillis, k, text, json);
  }

  /** This document with the labels {@code raised} gives the patients it names. */
  public AuditEventDocument withIndexLabels(org.atnabridge.store.RaisedLabels raised) {
    if (raised == org.atnabridge.store.RaisedLabels.NONE) {
      return this;
    }
    Set<String> keys = patientKeys();
    return keys.isEmpty() ? this : withIndexLabels(raised.labelsFor(keys));
  }

  /** The epoch millis of a DATE field. */
  public long millis(SearchField f) {
    return switch (f) {
      case DATE -> recordedMillis;
      case LAST_UPDATED -> lastUpdatedMillis;
      case RECEIVED -> receivedMillis;
      default -> throw new IllegalArgumentException("not a date field: " + f.code());
    };
  }

  public Set<String> values(String field) {
    return keywords.getOrDefault(field, Set.of());
  }

  /** Whether {@code meta.tag} holds system|code. */
  public boolean hasTag(String system, String code) {
    return values(tokenField(SearchField.TAG)).contains(token(system, code));
  }

  /** Lowercase, accents removed: the form FHIR string search compares. */
  public static String normalize(String s) {
    if (isAscii(s)) { // NFD leaves ASCII as it is and it has no marks: skip the costly part
      return s.toLowerCase(Locale.ROOT);
    }
    return MARKS
        .matcher(Normalizer.normalize(s, Normalizer.Form.NFD))
        .replaceAll("")
        .toLowerCase(Locale.ROOT);
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  /**
   * A literal reference as indexed and searched: {@code Type/id} when it has both (so a relative
   * and an absolute reference to the same resource match), else as written.
   */
  public static String normalizeReference(String reference) {
    IdType id = new IdType(reference);
    return id.hasResourceType() && id.hasIdPart()
        ? id.getResourceType() + "/" + id.getIdPart()
        : reference;
  }

  private static @Nullable String typeOf(@Nullable String reference) {
    if (reference == null) {
      return null;
    }
    IdType id = new IdType(reference);
    return id.hasResourceType() ? id.getResourceType() : null;
  }
}
