package org.atnabridge.store;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Every indexed AuditEvent search parameter: the R5 ones (standards.md §3.4), the common ones
 * ({@code _id}, {@code _lastUpdated}, {@code _tag}, {@code _security}, {@code _profile}), the R4 /
 * ITI-81 / BALP names as aliases or fields of their own (§3.4, §4.4: {@code type}, {@code
 * subtype}, {@code address}, {@code agent-name}, {@code altid}, {@code entity-type}, {@code
 * entity-name}, {@code site}), and the fields of this platform (syslog header, receipt, raw-record
 * reference, correlation id, and a generic extension hook that later chain fields land in).
 *
 * <p>The FHIR API maps a parameter name to a field with {@link #byCode(String)} and builds a
 * {@link Criterion} of the field's {@link Type}; identifier searches ({@code patient.identifier},
 * {@code patient:identifier}, ...) are {@link Criterion.Reference} criteria with identifier values.
 */
public enum SearchField {
  ID("_id", Type.TOKEN, "id"),
  LAST_UPDATED("_lastUpdated", Type.DATE, "last_updated"),
  TAG("_tag", Type.TOKEN, "tag"),
  SECURITY("_security", Type.TOKEN, "security"),
  PROFILE("_profile", Type.URI, "profile"),

  ACTION("action", Type.TOKEN, "action"),
  AGENT("agent", Type.REFERENCE, "agent"),
  AGENT_ROLE("agent-role", Type.TOKEN, "agent_role"),
  /** {@code agent.type}: BALP and DICOM put the prime RoleIDCode here (not an R5 parameter). */
  AGENT_TYPE("agent-type", Type.TOKEN, "agent_type"),
  /** R4 {@code agent-name}: {@code agent.who.display}. */
  AGENT_NAME("agent-name", Type.STRING, "agent_name"),
  /** R4 {@code altid}: the {@code auditevent-AlternativeUserID} extension of an agent. */
  ALTID("altid", Type.TOKEN, "altid"),
  /** R4 {@code address}: {@code agent.network[x]}. */
  ADDRESS("address", Type.STRING, "address"),
  BASED_ON("based-on", Type.REFERENCE, "based_on"),
  CATEGORY("category", Type.TOKEN, "category", "type"),
  CODE("code", Type.TOKEN, "code", "subtype"),
  /** {@code AuditEvent.recorded}. */
  DATE("date", Type.DATE, "recorded"),
  ENCOUNTER("encounter", Type.REFERENCE, "encounter"),
  ENTITY("entity", Type.REFERENCE, "entity"),
  /** R4 {@code entity-name}: {@code entity.what.display}. */
  ENTITY_NAME("entity-name", Type.STRING, "entity_name"),
  ENTITY_ROLE("entity-role", Type.TOKEN, "entity_role"),
  /**
   * R4 {@code entity-type}: the DICOM ParticipantObjectTypeCode ({@code audit-entity-type}, kept
   * in an extension by the converter) and the resource type of {@code entity.what}
   * ({@code http://hl7.org/fhir/resource-types|Patient}).
   */
  ENTITY_TYPE("entity-type", Type.TOKEN, "entity_type"),
  /** {@code entity.securityLabel} (DICOM ParticipantObjectSensitivity). */
  ENTITY_SECURITY_LABEL("entity-security-label", Type.TOKEN, "entity_security"),
  /**
   * {@code outcome.code}, indexed so that the DICOM codes (0/4/8/12, system {@code
   * audit-event-outcome}) and the R5 issue-severity codes (success/warning/error/fatal) find the
   * same events: 0 = success, 4 = warning, 8 = error, 12 = fatal (standards §3.2).
   */
  OUTCOME("outcome", Type.TOKEN, "outcome"),
  PATIENT("patient", Type.REFERENCE, "patient"),
  POLICY("policy", Type.URI, "policy"),
  PURPOSE("purpose", Type.TOKEN, "purpose"),
  /** {@code AuditEvent.severity} (from the syslog PRI). */
  SEVERITY("severity", Type.TOKEN, "severity"),
  /** R4 {@code site}: {@code source.site} identifier value or display. */
  SITE("site", Type.TOKEN, "site"),
  SOURCE("source", Type.REFERENCE, "source"),
  SOURCE_TYPE("source-type", Type.TOKEN, "source_type"),

  SYSLOG_FORMAT("syslog-format", Type.TOKEN, "syslog_format"),
  SYSLOG_FACILITY("syslog-facility", Type.TOKEN, "syslog_facility"),
  SYSLOG_SEVERITY("syslog-severity", Type.TOKEN, "syslog_severity"),
  SYSLOG_HOSTNAME("syslog-hostname", Type.TOKEN, "syslog_hostname"),
  SYSLOG_APP_NAME("syslog-app-name", Type.TOKEN, "syslog_app_name"),
  SYSLOG_PROCID("syslog-procid", Type.TOKEN, "syslog_procid"),
  SYSLOG_MSGID("syslog-msgid", Type.TOKEN, "syslog_msgid"),
  RECEIPT_TRANSPORT("receipt-transport", Type.TOKEN, "receipt_transport"),
  RECEIPT_PEER("receipt-peer", Type.TOKEN, "receipt_peer"),
  RECEIPT_LISTENER("receipt-listener", Type.TOKEN, "receipt_listener"),
  CORRELATION_ID("correlation-id", Type.TOKEN, "correlation_id"),
  /** The raw Kafka record the event came from, value {@code topic:partition:offset}. */
  RAW_RECORD("raw-record", Type.TOKEN, "raw_record"),
  /**
   * Generic hook for extensions with a primitive value: system = extension URL (for a
   * sub-extension {@code url#sub-url}), code = the value as text. Fields added later (the hash
   * chain of issue 4) are searchable through it without a reindex of the mapping.
   */
  EXTENSION("extension", Type.TOKEN, "extension");

  /** The FHIR search parameter type, which decides the criterion and the index layout. */
  public enum Type { TOKEN, REFERENCE, DATE, URI, STRING }

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
  private final List<String> aliases;

  SearchField(String code, Type type, String indexName, String... aliases) {
    this.code = code;
    this.type = type;
    this.indexName = indexName;
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

  /** Base name of the field in the index; engines derive their physical fields from it. */
  public String indexName() {
    return indexName;
  }

  /** The field for a parameter name or alias; case-sensitive like FHIR parameter names. */
  public static Optional<SearchField> byCode(String code) {
    return Optional.ofNullable(BY_CODE.get(code));
  }

  @Override
  public String toString() {
    return code.toLowerCase(Locale.ROOT);
  }
}
