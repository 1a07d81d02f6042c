package org.atnabridge.schemas.vocab;

/**
 * StructureDefinition URLs of the extensions the platform writes or reads, and the names of their
 * sub-extensions. The {@value #BASE} ones are this repository's own; the HL7 ones are the published
 * AuditEvent extensions R5 points to for DICOM fidelity (DICOM PS3.15 A.5).
 */
public final class Extensions {

  /**
   * Namespace of every canonical URL this repository defines (StructureDefinitions, CodeSystems).
   */
  public static final String NAMESPACE = "http://atna-bridge.org/fhir/";

  /** Canonical base of this repository's StructureDefinitions. */
  public static final String BASE = NAMESPACE + "StructureDefinition/";

  /**
   * On a stored Subscription: what its creator may read (subject, patient, clearance), recorded at
   * creation and removed before the resource leaves the server.
   */
  public static final String SUBSCRIBER_ACCESS = BASE + "subscriber-access";

  /**
   * On a stored websocket Subscription: the key its binding tokens are signed with (base64url, 32
   * bytes); removed before the resource leaves the server.
   */
  public static final String WS_BINDING_KEY = BASE + "ws-binding-key";

  /** Canonical base of this repository's built-in SubscriptionTopics. */
  public static final String SUBSCRIPTION_TOPIC_BASE = NAMESPACE + "SubscriptionTopic/";

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
   * message names several patients it is split (ITI-20, BALP: one per patient) and the parts share
   * this id.
   */
  public static final String CORRELATION_ID = BASE + "correlation-id";

  /** On entity, valueCoding (audit-entity-type): ParticipantObjectTypeCode, which R5 dropped. */
  public static final String PARTICIPANT_OBJECT_TYPE = BASE + "participant-object-type";

  /**
   * On entity, valueString: ParticipantObjectID as sent, when the identifier holds a parsed form
   * (HL7 CX).
   */
  public static final String PARTICIPANT_OBJECT_ID = BASE + "participant-object-id";

  /**
   * On entity: ParticipantObjectDescription. Complex with sub-extensions {@value #DESCRIPTION_TEXT}
   * (valueString), {@code mpps}, {@code accession}, {@code study} (valueIdentifier, repeating),
   * {@code sop-class} (complex: {@code uid}, {@code number-of-instances}, {@code instance}
   * repeating, all valueString), {@code encrypted}, {@code anonymized} (valueBoolean).
   */
  public static final String PARTICIPANT_OBJECT_DESCRIPTION =
      BASE + "participant-object-description";

  /** valueString: the description's free text. */
  public static final String DESCRIPTION_TEXT = "text";

  /**
   * On agent, valueCoding ({@link CodeSystems#NETWORK_ACCESS_POINT_TYPE}):
   * NetworkAccessPointTypeCode, which R5 dropped.
   */
  public static final String NETWORK_ACCESS_POINT_TYPE = BASE + "network-access-point-type";

  /** On agent, valueCode: whether its network address is internal or external (enrichment). */
  public static final String NETWORK_CLASS = BASE + "network-class";

  /** On agent, valueReference: the known node its network address belongs to (enrichment). */
  public static final String NETWORK_NODE = BASE + "network-node";

  /**
   * On AuditEvent, valueString: the name of the access log source (its {@code name} in the sources
   * file, {@code default} without one) whose line the event was converted from.
   */
  public static final String ACCESS_LOG_SOURCE = BASE + "access-log-source";

  /**
   * On AuditEvent, valueString: the access log line it was converted from, secret query values
   * masked. Part of the event, so the API returns it only to a caller allowed to read the event
   * (its patient compartment and labels applied), like every other element.
   */
  public static final String ACCESS_LOG_LINE = BASE + "access-log-line";

  /** On AuditEvent: its link in the hash chain ({@link org.atnabridge.schemas.chain.ChainLink}). */
  public static final String CHAIN = BASE + "chain";

  /**
   * On AuditEvent: the raw Kafka record it came from ({@link
   * org.atnabridge.schemas.RawRecordReference}).
   */
  public static final String RAW_RECORD = BASE + "raw-record";

  /** HL7 AuditEvent extension (agent, Identifier): DICOM AlternativeUserID. */
  public static final String HL7_ALTERNATIVE_USER_ID =
      "http://hl7.org/fhir/StructureDefinition/auditevent-AlternativeUserID";

  /**
   * HL7 AuditEvent extension (entity, CodeableConcept in dicom-audit-lifecycle):
   * ParticipantObjectDataLifeCycle.
   */
  public static final String HL7_LIFECYCLE =
      "http://hl7.org/fhir/StructureDefinition/auditevent-Lifecycle";

  /** HL7 core extension: why a required value is missing. */
  public static final String HL7_DATA_ABSENT_REASON =
      "http://hl7.org/fhir/StructureDefinition/data-absent-reason";

  private Extensions() {}
}
