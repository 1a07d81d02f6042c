package org.atnabridge.store;

import static org.atnabridge.store.SearchField.Api.FHIR;
import static org.atnabridge.store.SearchField.Api.INTERNAL;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.atnabridge.schemas.vocab.Extensions;

/**
 * The one table of AuditEvent search parameters: every row is a parameter with its name, FHIR type,
 * R5 FHIRPath expression, ITI-81/R4 aliases, the modifiers it takes, whether the FHIR API offers
 * it, and the base name of its index field. The FHIR API's parser and CapabilityStatement, both
 * engines ({@link org.atnabridge.store.internal.IndexFields}, the query planner) and the in-memory
 * {@link AuditEventMatcher} all read it, so adding a parameter is one row here, the element that
 * feeds it in the extraction ({@code AuditEventDocument}/{@code AuditEventJson}), and its tests.
 *
 * <p>The rows: the R5 AuditEvent search parameters, the common ones ({@code _id}, {@code
 * _lastUpdated}, {@code _tag}, {@code _security}, {@code _profile}), the R4 / ITI-81 / BALP names
 * as aliases or rows of their own (BALP ARR CapabilityStatement), and the fields of this platform
 * (syslog header, receipt, raw-record reference, correlation id, and a generic extension hook that
 * later chain fields land in). Identifier searches ({@code patient.identifier}, {@code
 * patient:identifier}) are {@link Criterion.Reference} criteria with identifier values.
 */
public enum SearchField {
  ID("_id", Type.TOKEN, "id", "Resource.id", FHIR),
  LAST_UPDATED("_lastUpdated", Type.DATE, "last_updated", "Resource.meta.lastUpdated", FHIR),
  TAG("_tag", Type.TOKEN, "tag", "Resource.meta.tag", FHIR),
  SECURITY("_security", Type.TOKEN, "security", "Resource.meta.security", FHIR),
  PROFILE("_profile", Type.URI, "profile", "Resource.meta.profile", INTERNAL),

  ACTION("action", Type.TOKEN, "action", "AuditEvent.action", FHIR),
  AGENT("agent", Type.REFERENCE, "agent", "AuditEvent.agent.who", FHIR),
  AGENT_ROLE("agent-role", Type.TOKEN, "agent_role", "AuditEvent.agent.role", FHIR),
  /** BALP and DICOM put the prime RoleIDCode here (not an R5 parameter). */
  AGENT_TYPE("agent-type", Type.TOKEN, "agent_type", "AuditEvent.agent.type", INTERNAL),
  /** R4 {@code agent-name}. */
  AGENT_NAME("agent-name", Type.STRING, "agent_name", "AuditEvent.agent.who.display", FHIR),
  /** R4 {@code altid}: the {@code auditevent-AlternativeUserID} extension of an agent. */
  ALTID(
      "altid",
      Type.TOKEN,
      "altid",
      "AuditEvent.agent.extension('" + Extensions.HL7_ALTERNATIVE_USER_ID + "').value",
      FHIR),
  /** R4 {@code address}. */
  ADDRESS("address", Type.STRING, "address", "AuditEvent.agent.network", FHIR),
  BASED_ON("based-on", Type.REFERENCE, "based_on", "AuditEvent.basedOn", FHIR),
  CATEGORY("category", Type.TOKEN, "category", "AuditEvent.category", FHIR, "type"),
  CODE("code", Type.TOKEN, "code", "AuditEvent.code", FHIR, "subtype"),
  DATE("date", Type.DATE, "recorded", "AuditEvent.recorded", FHIR),
  ENCOUNTER("encounter", Type.REFERENCE, "encounter", "AuditEvent.encounter", FHIR),
  ENTITY("entity", Type.REFERENCE, "entity", "AuditEvent.entity.what", FHIR),
  /** R4 {@code entity-name}. */
  ENTITY_NAME("entity-name", Type.STRING, "entity_name", "AuditEvent.entity.what.display", FHIR),
  ENTITY_ROLE("entity-role", Type.TOKEN, "entity_role", "AuditEvent.entity.role", FHIR),
  /**
   * R4 {@code entity-type}: the DICOM ParticipantObjectTypeCode ({@code audit-entity-type}, kept in
   * an extension by the converter) and the resource type of {@code entity.what} ({@code
   * http://hl7.org/fhir/resource-types|Patient}).
   */
  ENTITY_TYPE(
      "entity-type",
      Type.TOKEN,
      "entity_type",
      "AuditEvent.entity.what.type | AuditEvent.entity.extension('"
          + Extensions.PARTICIPANT_OBJECT_TYPE
          + "').value",
      FHIR),
  /** DICOM ParticipantObjectSensitivity. */
  ENTITY_SECURITY_LABEL(
      "entity-security-label",
      Type.TOKEN,
      "entity_security",
      "AuditEvent.entity.securityLabel",
      INTERNAL),
  /**
   * Indexed so that the DICOM codes (0/4/8/12, system {@code audit-event-outcome}) and the R5
   * issue-severity codes (success/warning/error/fatal) find the same events: 0 = success, 4 =
   * warning, 8 = error, 12 = fatal (R5 value set audit-event-outcome).
   */
  OUTCOME("outcome", Type.TOKEN, "outcome", "AuditEvent.outcome.code", FHIR),
  PATIENT("patient", Type.REFERENCE, "patient", "AuditEvent.patient", FHIR),
  POLICY("policy", Type.URI, "policy", "AuditEvent.agent.policy", FHIR),
  PURPOSE(
      "purpose",
      Type.TOKEN,
      "purpose",
      "AuditEvent.authorization | AuditEvent.agent.authorization",
      FHIR),
  /** From the syslog PRI. */
  SEVERITY("severity", Type.TOKEN, "severity", "AuditEvent.severity", INTERNAL),
  /** R4 {@code site}: identifier value or display. */
  SITE("site", Type.TOKEN, "site", "AuditEvent.source.site", FHIR),
  SOURCE("source", Type.REFERENCE, "source", "AuditEvent.source.observer", FHIR),
  SOURCE_TYPE("source-type", Type.TOKEN, "source_type", "AuditEvent.source.type", INTERNAL),

  SYSLOG_FORMAT(
      "syslog-format", Type.TOKEN, "syslog_format", syslog(Extensions.SYSLOG_FORMAT), INTERNAL),
  SYSLOG_FACILITY(
      "syslog-facility",
      Type.TOKEN,
      "syslog_facility",
      syslog(Extensions.SYSLOG_FACILITY),
      INTERNAL),
  SYSLOG_SEVERITY(
      "syslog-severity",
      Type.TOKEN,
      "syslog_severity",
      syslog(Extensions.SYSLOG_SEVERITY),
      INTERNAL),
  SYSLOG_HOSTNAME(
      "syslog-hostname",
      Type.TOKEN,
      "syslog_hostname",
      syslog(Extensions.SYSLOG_HOSTNAME),
      INTERNAL),
  SYSLOG_APP_NAME(
      "syslog-app-name",
      Type.TOKEN,
      "syslog_app_name",
      syslog(Extensions.SYSLOG_APP_NAME),
      INTERNAL),
  SYSLOG_PROCID(
      "syslog-procid", Type.TOKEN, "syslog_procid", syslog(Extensions.SYSLOG_PROCID), INTERNAL),
  SYSLOG_MSGID(
      "syslog-msgid", Type.TOKEN, "syslog_msgid", syslog(Extensions.SYSLOG_MSGID), INTERNAL),
  RECEIPT_TRANSPORT(
      "receipt-transport",
      Type.TOKEN,
      "receipt_transport",
      receipt(Extensions.RECEIPT_TRANSPORT),
      INTERNAL),
  RECEIPT_PEER(
      "receipt-peer", Type.TOKEN, "receipt_peer", receipt(Extensions.RECEIPT_PEER), INTERNAL),
  RECEIPT_LISTENER(
      "receipt-listener",
      Type.TOKEN,
      "receipt_listener",
      receipt(Extensions.RECEIPT_LISTENER),
      INTERNAL),
  CORRELATION_ID(
      "correlation-id",
      Type.TOKEN,
      "correlation_id",
      "AuditEvent.extension('" + Extensions.CORRELATION_ID + "').value",
      INTERNAL),
  /**
   * When the repository received the event ({@link org.atnabridge.schemas.chain.ReceiptTime}): the
   * {@code received-at} of the receipt extension, else {@code recorded}. Present on every document
   * written since it was added; the window {@code $verify} selects by.
   */
  RECEIVED(
      "received",
      Type.DATE,
      "received",
      receipt(Extensions.RECEIPT_RECEIVED_AT) + " | AuditEvent.recorded",
      INTERNAL),
  /** The raw Kafka record the event came from, value {@code topic:partition:offset}. */
  RAW_RECORD(
      "raw-record",
      Type.TOKEN,
      "raw_record",
      "AuditEvent.extension('" + Extensions.RAW_RECORD + "')",
      INTERNAL),
  /**
   * Generic hook for extensions with a primitive value: system = extension URL (for a sub-extension
   * {@code url#sub-url}), code = the value as text. Fields added later (the hash chain fields) are
   * searchable through it without a reindex of the mapping.
   */
  EXTENSION("extension", Type.TOKEN, "extension", "AuditEvent.extension.value", INTERNAL);

  /** The FHIR search parameter type, which decides the criterion and the index layout. */
  public enum Type {
    TOKEN(Modifier.MISSING, Modifier.NOT),
    REFERENCE(Modifier.MISSING, Modifier.IDENTIFIER),
    DATE(Modifier.MISSING),
    URI(Modifier.MISSING),
    STRING(Modifier.MISSING, Modifier.EXACT, Modifier.CONTAINS);

    private final Set<Modifier> modifiers;

    Type(Modifier... modifiers) {
      this.modifiers = Set.copyOf(Arrays.asList(modifiers));
    }

    /** The modifiers every parameter of this type takes. */
    public Set<Modifier> modifiers() {
      return modifiers;
    }
  }

  /**
   * FHIR search modifiers (R5 search §3.2.1.5.5) this store answers exactly; {@code :identifier}
   * also stands for ITI-81's chain {@code .identifier}. Any other modifier is refused, never
   * approximated.
   */
  public enum Modifier {
    MISSING,
    NOT,
    EXACT,
    CONTAINS,
    IDENTIFIER;

    /** The modifier as written after the colon ({@code missing}). */
    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Whether a row is a parameter of the FHIR API or a field only the platform itself queries. */
  public enum Api {
    FHIR,
    INTERNAL
  }

  private static final Map<String, SearchField> BY_CODE = new HashMap<>();

  static {
    for (SearchField f : values()) {
      BY_CODE.put(f.code, f);
      f.aliases.forEach(a -> BY_CODE.put(a, f));
    }
  }

  private final String code;
  private final Type type;
  private final String indexName;
  private final String expression;
  private final Api api;
  private final List<String> aliases;

  SearchField(
      String code, Type type, String indexName, String expression, Api api, String... aliases) {
    this.code = code;
    this.type = type;
    this.indexName = indexName;
    this.expression = expression;
    this.api = api;
    this.aliases = List.of(aliases);
  }

  /** The search parameter name ({@code agent-role}). */
  public String code() {
    return code;
  }

  public Type type() {
    return type;
  }

  /** Other names of the same parameter (R4 {@code type} for {@code category}). */
  public List<String> aliases() {
    return aliases;
  }

  /** The name and the aliases. */
  public List<String> names() {
    return Stream.concat(Stream.of(code), aliases.stream()).toList();
  }

  /** The R5 FHIRPath expression of the values (for the fields of this platform, its extensions). */
  public String expression() {
    return expression;
  }

  /** The modifiers this parameter takes. */
  public Set<Modifier> modifiers() {
    return type.modifiers();
  }

  public boolean allows(Modifier m) {
    return type.modifiers().contains(m);
  }

  /** Whether the FHIR API offers it (search, {@code $stats}, the CapabilityStatement). */
  public boolean inFhirApi() {
    return api == Api.FHIR;
  }

  /** Base name of the field in the index; engines derive their physical fields from it. */
  public String indexName() {
    return indexName;
  }

  /** The field for a parameter name or alias; case-sensitive like FHIR parameter names. */
  public static Optional<SearchField> byCode(String code) {
    return Optional.ofNullable(BY_CODE.get(code));
  }

  /** The row of a FHIR API parameter name or alias; empty for internal fields and unknown names. */
  public static Optional<SearchField> fhirParameter(String name) {
    return byCode(name).filter(SearchField::inFhirApi);
  }

  /** The rows of the FHIR API, in table order. */
  public static List<SearchField> fhirParameters() {
    return EnumSet.allOf(SearchField.class).stream().filter(SearchField::inFhirApi).toList();
  }

  @Override
  public String toString() {
    return code.toLowerCase(Locale.ROOT);
  }

  private static String syslog(String part) {
    return "AuditEvent.extension('"
        + Extensions.SYSLOG_HEADER
        + "').extension('"
        + part
        + "').value";
  }

  private static String receipt(String part) {
    return "AuditEvent.extension('" + Extensions.RAW_RECEIPT + "').extension('" + part + "').value";
  }
}
