package org.atnabridge.atna.fhir;

/**
 * Extension and code-system URLs written by the converter. The {@code atna-bridge.org} ones are
 * ours (documented in {@code package-info}); the {@code hl7.org} ones are the published AuditEvent
 * extensions that R5 points to for DICOM fidelity (FHIR extensions pack).
 */
public final class AtnaExtensions {

  private AtnaExtensions() {}

  public static final String BASE = "http://atna-bridge.org/fhir/StructureDefinition/";

  /** On AuditEvent: the syslog header the message arrived with. Complex; sub-extensions below. */
  public static final String SYSLOG_HEADER = BASE + "syslog-header";
  /** valueCode: {@code rfc5424}, {@code rfc3164} or {@code pri-only}. */
  public static final String SYSLOG_FORMAT = "format";
  /** valueInteger: PRI facility (0..23). */
  public static final String SYSLOG_FACILITY = "facility";
  /** valueInteger: PRI severity (0..7), also mapped to AuditEvent.severity. */
  public static final String SYSLOG_SEVERITY = "severity";
  public static final String SYSLOG_HOSTNAME = "hostname";
  public static final String SYSLOG_APP_NAME = "app-name";
  public static final String SYSLOG_PROCID = "procid";
  public static final String SYSLOG_MSGID = "msgid";
  /** valueString: TIMESTAMP exactly as sent (may be invalid; see the conversion-flag tags). */
  public static final String SYSLOG_TIMESTAMP = "timestamp";
  /** valueString: STRUCTURED-DATA exactly as sent, absent for NILVALUE. */
  public static final String SYSLOG_STRUCTURED_DATA = "structured-data";

  /** On AuditEvent: how the raw message was received. Complex; sub-extensions below. */
  public static final String RAW_RECEIPT = BASE + "raw-receipt";
  /** valueCode: tcp, udp, tls, http, unknown. */
  public static final String RECEIPT_TRANSPORT = "transport";
  /** valueString: the sender's socket address. */
  public static final String RECEIPT_PEER = "peer";
  /** valueInstant: receive time. */
  public static final String RECEIPT_RECEIVED_AT = "received-at";
  /** valueString: listener id. */
  public static final String RECEIPT_LISTENER = "listener";
  /** valueString: lowercase hex SHA-256 of the whole frame as received (header included). */
  public static final String RECEIPT_SHA256 = "sha256";

  /**
   * On AuditEvent, valueString: the same value on every AuditEvent made from one message. When a
   * message names several patients it is split (ITI-20, BALP: one per patient) and the parts share this id.
   */
  public static final String CORRELATION_ID = BASE + "correlation-id";

  /** On entity, valueCoding (audit-entity-type): ParticipantObjectTypeCode, which R5 dropped. */
  public static final String PARTICIPANT_OBJECT_TYPE = BASE + "participant-object-type";
  /** On entity, valueString: ParticipantObjectID as sent, when the identifier holds a parsed form (HL7 CX). */
  public static final String PARTICIPANT_OBJECT_ID = BASE + "participant-object-id";
  /**
   * On entity: ParticipantObjectDescription. Complex with sub-extensions {@code text} (valueString),
   * {@code mpps}, {@code accession}, {@code study} (valueIdentifier, repeating), {@code sop-class}
   * (complex: {@code uid} valueOid-as-string, {@code number-of-instances} valueString, {@code instance}
   * valueString repeating), {@code encrypted}, {@code anonymized} (valueBoolean).
   */
  public static final String PARTICIPANT_OBJECT_DESCRIPTION = BASE + "participant-object-description";
  /** On agent, valueCoding ({@link #NETWORK_TYPE_SYSTEM}): NetworkAccessPointTypeCode, which R5 dropped. */
  public static final String NETWORK_ACCESS_POINT_TYPE = BASE + "network-access-point-type";

  /** meta.tag system for the irregularities tolerated during conversion ({@link ConversionFlag}). */
  public static final String CONVERSION_FLAG_SYSTEM = "http://atna-bridge.org/fhir/CodeSystem/conversion-flag";

  /**
   * NetworkAccessPointTypeCode 1..5 (DICOM PS3.15 A.5.1; R4's {@code http://hl7.org/fhir/network-type}
   * is not part of R5, and R5 validators reject codes in that retired system).
   */
  public static final String NETWORK_TYPE_SYSTEM = "http://atna-bridge.org/fhir/CodeSystem/network-access-point-type";

  /** meta.tag system naming the IHE BALP pattern the event was shaped to ({@link BalpPattern}). */
  public static final String BALP_PATTERN_SYSTEM = "http://atna-bridge.org/fhir/CodeSystem/balp-pattern";

  public static final String HL7_ALTERNATIVE_USER_ID = "http://hl7.org/fhir/StructureDefinition/auditevent-AlternativeUserID";
  public static final String HL7_LIFECYCLE = "http://hl7.org/fhir/StructureDefinition/auditevent-Lifecycle";
  public static final String HL7_DATA_ABSENT_REASON = "http://hl7.org/fhir/StructureDefinition/data-absent-reason";
}
