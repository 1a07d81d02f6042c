package org.atnabridge.store.internal;

import static org.atnabridge.schemas.vocab.CodeSystems.AUDIT_EVENT_ACTION;
import static org.atnabridge.schemas.vocab.CodeSystems.AUDIT_EVENT_SEVERITY;
import static org.atnabridge.schemas.vocab.CodeSystems.RESOURCE_TYPES;
import static org.atnabridge.schemas.vocab.Extensions.CORRELATION_ID;
import static org.atnabridge.schemas.vocab.Extensions.HL7_ALTERNATIVE_USER_ID;
import static org.atnabridge.schemas.vocab.Extensions.PARTICIPANT_OBJECT_DESCRIPTION;
import static org.atnabridge.schemas.vocab.Extensions.PARTICIPANT_OBJECT_TYPE;
import static org.atnabridge.store.internal.FhirJsonElements.coding;
import static org.atnabridge.store.internal.FhirJsonElements.concept;
import static org.atnabridge.store.internal.FhirJsonElements.items;
import static org.atnabridge.store.internal.FhirJsonElements.primitive;
import static org.atnabridge.store.internal.FhirJsonElements.reference;
import static org.atnabridge.store.internal.FhirJsonElements.str;
import static org.atnabridge.store.internal.FhirJsonElements.value;
import static org.atnabridge.store.internal.InstantMillis.millis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.atnabridge.schemas.RawRecordReference;
import org.atnabridge.schemas.vocab.Extensions;
import org.atnabridge.store.SearchField;
import org.hl7.fhir.r5.model.DateTimeType;
import org.hl7.fhir.r5.model.DateType;
import org.hl7.fhir.r5.model.IdType;

/**
 * {@link AuditEventDocument} straight from an AuditEvent's FHIR JSON, as it arrives from Kafka: one
 * Jackson tree pass instead of building HAPI's model (and re-encoding it), about ten times cheaper,
 * and the JSON kept byte for byte. It reads exactly the elements {@link AuditEventDocument#from}
 * reads, in the same order, with HAPI's "has" rules (absent, null or blank is no value); {@code
 * AuditEventJsonTest} proves both give equal documents for every converted test vector and the
 * benchmark's events. Elements it does not read are not checked: the indexed topic is written by
 * audit-streams from HAPI models.
 */
public final class AuditEventJson {

  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(
              DeserializationFeature
                  .USE_BIG_DECIMAL_FOR_FLOATS); // decimals keep their digits, like HAPI

  private AuditEventJson() {}

  /**
   * @throws IllegalArgumentException when the bytes are not a JSON AuditEvent with an id and a
   *     valid {@code recorded}; the message never quotes the content (it may hold patient data)
   */
  public static AuditEventDocument document(byte[] json) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON (" + e.getClass().getSimpleName() + ")");
    } catch (IOException e) {
      throw new IllegalArgumentException("unreadable JSON (" + e.getClass().getSimpleName() + ")");
    }
    if (root == null || !root.isObject() || !"AuditEvent".equals(str(root, "resourceType"))) {
      throw new IllegalArgumentException("not a FHIR AuditEvent");
    }
    String rawId = str(root, "id");
    String id = rawId == null ? null : new IdType(rawId).getIdPart();
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("AuditEvent without id");
    }
    String recordedValue = str(root, "recorded");
    if (recordedValue == null) {
      throw new IllegalArgumentException("AuditEvent/" + id + " without recorded");
    }
    long recorded = millis(recordedValue, id);
    JsonNode meta = root.path("meta");
    String lastUpdatedValue = str(meta, "lastUpdated");
    long lastUpdated = lastUpdatedValue == null ? recorded : millis(lastUpdatedValue, id);

    FieldExtractor x = new FieldExtractor();
    x.present(SearchField.ID);
    x.present(SearchField.DATE);
    x.present(SearchField.LAST_UPDATED);
    x.present(SearchField.RECEIVED);
    long received = received(items(root, "extension"), recorded, id);
    for (JsonNode c : items(meta, "tag")) {
      coding(x, SearchField.TAG, c);
    }
    for (JsonNode c : items(meta, "security")) {
      coding(x, SearchField.SECURITY, c);
    }
    for (JsonNode p : items(meta, "profile")) {
      x.uri(SearchField.PROFILE, value(p));
    }
    String action = str(root, "action");
    if (action != null) {
      x.token(SearchField.ACTION, AUDIT_EVENT_ACTION, action);
    }
    String severity = str(root, "severity");
    if (severity != null) {
      x.token(SearchField.SEVERITY, AUDIT_EVENT_SEVERITY, severity);
    }
    for (JsonNode c : items(root, "category")) {
      concept(x, SearchField.CATEGORY, c);
    }
    concept(x, SearchField.CODE, root.path("code"));
    JsonNode outcome = root.path("outcome");
    if (outcome.isObject()) {
      JsonNode code = outcome.path("code");
      if (code.isObject()) {
        x.outcome(str(code, "system"), str(code, "code"), str(code, "display"));
      }
      for (JsonNode d : items(outcome, "detail")) {
        x.text(str(d, "text"));
      }
    }
    for (JsonNode c : items(root, "authorization")) {
      concept(x, SearchField.PURPOSE, c);
    }
    for (JsonNode r : items(root, "basedOn")) {
      reference(x, SearchField.BASED_ON, r);
    }
    reference(x, SearchField.ENCOUNTER, root.path("encounter"));
    reference(x, SearchField.PATIENT, root.path("patient"));

    for (JsonNode agent : items(root, "agent")) {
      agent(x, agent);
    }
    source(x, root.path("source"));
    for (JsonNode entity : items(root, "entity")) {
      entity(x, entity);
    }
    for (JsonNode e : items(root, "extension")) {
      extension(x, e);
    }
    rawRecord(x, items(root, "extension"));
    return new AuditEventDocument(
        id,
        recorded,
        lastUpdated,
        received,
        x.keywords(),
        x.text.toString(),
        new String(json, StandardCharsets.UTF_8));
  }

  private static void agent(FieldExtractor x, JsonNode agent) {
    JsonNode who = agent.path("who");
    if (who.isObject()) {
      reference(x, SearchField.AGENT, who);
      x.string(SearchField.AGENT_NAME, str(who, "display"));
    }
    concept(x, SearchField.AGENT_TYPE, agent.path("type"));
    for (JsonNode c : items(agent, "role")) {
      concept(x, SearchField.AGENT_ROLE, c);
    }
    for (JsonNode p : items(agent, "policy")) {
      x.uri(SearchField.POLICY, value(p));
    }
    for (JsonNode c : items(agent, "authorization")) {
      concept(x, SearchField.PURPOSE, c);
    }
    String networkString = str(agent, "networkString");
    String networkUri = str(agent, "networkUri");
    if (networkString != null) {
      x.string(SearchField.ADDRESS, networkString);
    } else if (networkUri != null) {
      x.string(SearchField.ADDRESS, networkUri);
    } else if (agent.path("networkReference").isObject()) {
      x.string(SearchField.ADDRESS, str(agent.path("networkReference"), "display"));
    }
    for (JsonNode e : items(agent, "extension")) {
      if (!HL7_ALTERNATIVE_USER_ID.equals(str(e, "url"))) {
        continue;
      }
      JsonNode identifier = e.path("valueIdentifier");
      if (identifier.isObject()) {
        String v = str(identifier, "value");
        if (v != null) {
          x.namingToken(SearchField.ALTID, str(identifier, "system"), v);
        }
      } else {
        x.namingToken(SearchField.ALTID, null, primitive(e));
      }
    }
  }

  private static void source(FieldExtractor x, JsonNode source) {
    if (!source.isObject()) {
      return;
    }
    reference(x, SearchField.SOURCE, source.path("observer"));
    for (JsonNode c : items(source, "type")) {
      concept(x, SearchField.SOURCE_TYPE, c);
    }
    JsonNode site = source.path("site");
    if (site.isObject()) {
      JsonNode identifier = site.path("identifier");
      if (identifier.isObject()) {
        String v = str(identifier, "value");
        if (v != null) {
          x.namingToken(SearchField.SITE, str(identifier, "system"), v);
        }
      }
      String display = str(site, "display");
      if (display != null) {
        x.token(SearchField.SITE, null, display);
        x.text(display);
      }
    }
  }

  private static void entity(FieldExtractor x, JsonNode entity) {
    JsonNode what = entity.path("what");
    if (what.isObject()) {
      reference(x, SearchField.ENTITY, what);
      x.string(SearchField.ENTITY_NAME, str(what, "display"));
      String type = str(what, "type");
      if (type == null) {
        String ref = str(what, "reference");
        if (ref != null) {
          IdType id = new IdType(ref);
          type = id.hasResourceType() ? id.getResourceType() : null;
        }
      }
      if (type != null) {
        x.token(SearchField.ENTITY_TYPE, RESOURCE_TYPES, type);
      }
    }
    concept(x, SearchField.ENTITY_ROLE, entity.path("role"));
    for (JsonNode c : items(entity, "securityLabel")) {
      concept(x, SearchField.ENTITY_SECURITY_LABEL, c);
    }
    for (JsonNode e : items(entity, "extension")) {
      String url = str(e, "url");
      if (PARTICIPANT_OBJECT_TYPE.equals(url) && e.path("valueCoding").isObject()) {
        coding(x, SearchField.ENTITY_TYPE, e.path("valueCoding"));
      } else if (PARTICIPANT_OBJECT_DESCRIPTION.equals(url)) {
        for (JsonNode sub : items(e, "extension")) {
          if ("text".equals(str(sub, "url"))) {
            x.text(primitive(sub));
          }
        }
      }
    }
    for (JsonNode d : items(entity, "detail")) {
      concept(x, null, d.path("type"));
    }
  }

  private static void extension(FieldExtractor x, JsonNode e) {
    String url = str(e, "url");
    if (url == null) {
      return;
    }
    String value = primitive(e);
    if (value != null) {
      x.token(SearchField.EXTENSION, url, value);
    }
    if (CORRELATION_ID.equals(url)) {
      x.token(SearchField.CORRELATION_ID, null, value);
    }
    for (JsonNode sub : items(e, "extension")) {
      String subValue = primitive(sub);
      String subUrl = str(sub, "url");
      if (subValue == null || subUrl == null) {
        continue;
      }
      x.token(SearchField.EXTENSION, url + "#" + subUrl, subValue);
      SearchField f = FieldExtractor.subExtensionField(url, subUrl);
      if (f != null) {
        x.token(f, null, subValue);
      }
    }
  }

  /**
   * As {@link AuditEventDocument#receivedAt}: the {@code received-at} of the first receipt
   * extension ({@code valueInstant}, {@code valueDateTime} or {@code valueDate}, read as HAPI reads
   * them), else {@code recorded}.
   */
  private static long received(Iterable<JsonNode> extensions, long recorded, String id) {
    for (JsonNode e : extensions) {
      if (!Extensions.RAW_RECEIPT.equals(str(e, "url"))) {
        continue;
      }
      for (JsonNode sub : items(e, "extension")) {
        if (Extensions.RECEIPT_RECEIVED_AT.equals(str(sub, "url"))) {
          return dateTime(sub, recorded, id);
        }
      }
      return recorded;
    }
    return recorded;
  }

  private static long dateTime(JsonNode extension, long otherwise, String id) {
    String instant = value(extension.path("valueInstant"));
    if (instant != null) {
      return millis(instant, id);
    }
    String dateTime = value(extension.path("valueDateTime"));
    String date = value(extension.path("valueDate"));
    String v = dateTime != null ? dateTime : date;
    if (v == null) {
      return otherwise;
    }
    long fast = InstantMillis.fast(v);
    if (fast != Long.MIN_VALUE) {
      return fast;
    }
    try { // partial dates, as HAPI reads them
      return (dateTime != null ? new DateTimeType(v) : new DateType(v)).getValue().getTime();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("AuditEvent/" + id + " has an invalid received-at");
    }
  }

  /** As {@link RawRecordReference#from}: the first raw-record extension, all three parts valid. */
  private static void rawRecord(FieldExtractor x, Iterable<JsonNode> extensions) {
    for (JsonNode e : extensions) {
      if (!Extensions.RAW_RECORD.equals(str(e, "url"))) {
        continue;
      }
      String topic = null;
      String partition = null;
      String offset = null;
      for (JsonNode sub : items(e, "extension")) {
        String u = str(sub, "url");
        if ("topic".equals(u)) {
          topic = primitive(sub);
        } else if ("partition".equals(u)) {
          partition = primitive(sub);
        } else if ("offset".equals(u)) {
          offset = primitive(sub);
        }
      }
      try {
        x.token(
            SearchField.RAW_RECORD,
            null,
            topic
                + ":"
                + Integer.parseInt(String.valueOf(partition))
                + ":"
                + Long.parseLong(String.valueOf(offset)));
      } catch (NumberFormatException e2) {
        // not a reference HAPI's reading accepts either
      }
      return;
    }
  }

  /** See {@link InstantMillis#fast}. */
  static long fastMillis(String s) {
    return InstantMillis.fast(s);
  }
}
