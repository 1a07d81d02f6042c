package org.atnabridge.schemas.vocab;

/**
 * Code system URIs the platform writes or matches, and the codes of its own code systems. HL7 ones
 * are the FHIR core and HL7 Terminology (THO) canonicals; DICOM is PS3.16's DCM.
 */
public final class CodeSystems {

  /** DICOM Controlled Terminology (PS3.16), e.g. EventID 110110 "Patient Record". */
  public static final String DCM = "http://dicom.nema.org/resources/ontology/DCM";

  /**
   * IHE transaction codes as EventTypeCode (ITI TF-2, e.g. {@code ITI-18}) and IHE0001..IHE0006.
   */
  public static final String IHE_TRANSACTIONS = "urn:ihe:event-type-code";

  /** IHE BALP BasicAuditEntityType (e.g. {@code XrequestId}). */
  public static final String BALP_ENTITY_TYPE =
      "https://profiles.ihe.net/ITI/BALP/CodeSystem/BasicAuditEntityType";

  public static final String SNOMED = "http://snomed.info/sct";

  public static final String AUDIT_EVENT_OUTCOME =
      "http://terminology.hl7.org/CodeSystem/audit-event-outcome";
  public static final String AUDIT_EVENT_SEVERITY = "http://hl7.org/fhir/audit-event-severity";
  public static final String AUDIT_EVENT_ACTION = "http://hl7.org/fhir/audit-event-action";
  public static final String AUDIT_EVENT_TYPE =
      "http://terminology.hl7.org/CodeSystem/audit-event-type";
  public static final String AUDIT_ENTITY_TYPE =
      "http://terminology.hl7.org/CodeSystem/audit-entity-type";
  public static final String OBJECT_ROLE = "http://terminology.hl7.org/CodeSystem/object-role";
  public static final String SECURITY_SOURCE_TYPE =
      "http://terminology.hl7.org/CodeSystem/security-source-type";
  public static final String DICOM_AUDIT_LIFECYCLE =
      "http://terminology.hl7.org/CodeSystem/dicom-audit-lifecycle";
  public static final String ISSUE_SEVERITY = "http://hl7.org/fhir/issue-severity";
  public static final String RESOURCE_TYPES = "http://hl7.org/fhir/resource-types";
  public static final String RESTFUL_INTERACTION = "http://hl7.org/fhir/restful-interaction";
  public static final String RESTFUL_SECURITY_SERVICE =
      "http://hl7.org/fhir/restful-security-service";
  public static final String PROVENANCE_PARTICIPANT_TYPE =
      "http://terminology.hl7.org/CodeSystem/provenance-participant-type";
  public static final String V2_IDENTIFIER_TYPE = "http://terminology.hl7.org/CodeSystem/v2-0203";

  /**
   * HL7 v3 ActReason, the code system of the v3 PurposeOfUse value set (IHE XUA / BALP
   * purposeOfUse).
   */
  public static final String V3_ACT_REASON = "http://terminology.hl7.org/CodeSystem/v3-ActReason";

  /**
   * HL7 v3 ActCode: sensitivity labels (e.g. {@code PSY}, {@code HIV}) in {@code meta.security}.
   */
  public static final String V3_ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";

  /** HL7 v3 Confidentiality (U, L, M, N, R, V): the labels that decide who may see an event. */
  public static final String V3_CONFIDENTIALITY =
      "http://terminology.hl7.org/CodeSystem/v3-Confidentiality";

  /** HL7 v3 ObservationValue, e.g. {@code SUBSETTED} on a resource returned in part. */
  public static final String V3_OBSERVATION_VALUE =
      "http://terminology.hl7.org/CodeSystem/v3-ObservationValue";

  public static final String V3_PARTICIPATION_TYPE =
      "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";

  /** Prefix of a system made from a DICOM {@code codeSystemName} that has no FHIR URI. */
  public static final String NAME_PREFIX = "urn:x-codesystemname:";

  /** ParticipantObjectIDTypeCode 1..12 (RFC 3881) has no FHIR code system. */
  public static final String RFC3881 = NAME_PREFIX + "RFC-3881";

  /** Canonical base of this repository's CodeSystems. */
  public static final String BASE = Extensions.NAMESPACE + "CodeSystem/";

  /** meta.tag system for the irregularities the converter tolerated (one code per irregularity). */
  public static final String CONVERSION_FLAG = BASE + "conversion-flag";

  /**
   * NetworkAccessPointTypeCode 1..5 ({@link NetworkAccessPointType}; DICOM PS3.15 A.5.1). R4's
   * {@code http://hl7.org/fhir/network-type} is not part of R5, and R5 validators reject its codes.
   */
  public static final String NETWORK_ACCESS_POINT_TYPE = BASE + "network-access-point-type";

  /**
   * meta.tag system naming the IHE BALP pattern an event was shaped to; the code is the BALP
   * profile id.
   */
  public static final String BALP_PATTERN = BASE + "balp-pattern";

  /** meta.tag system of retention decisions; code {@link #LEGAL_HOLD}. */
  public static final String RETENTION = BASE + "retention";

  /** {@link #RETENTION} code: the event is on legal hold and is never deleted by retention. */
  public static final String LEGAL_HOLD = "legal-hold";

  /** meta.tag system of where a record comes from; code {@link #SELF_AUDIT}. */
  public static final String RECORD_ORIGIN = BASE + "record-origin";

  /**
   * {@link #RECORD_ORIGIN} code: written by this repository about its own use, so nothing audits
   * the auditing.
   */
  public static final String SELF_AUDIT = "self-audit";

  /**
   * {@link #RECORD_ORIGIN} code: a Security Alert written by the alert engine for a rule that
   * fired; alert rules never evaluate such events, so an alert cannot trigger itself.
   */
  public static final String ALERT = "alert";

  /** Code system of the alert rules: the {@code code} of an alert AuditEvent is the rule id. */
  public static final String ALERT_RULE = BASE + "alert-rule";

  /**
   * Identifier system of alert ids (the keys of {@code audit.alerts}), on the entity of an alert
   * AuditEvent and of any self-audit about handling that alert.
   */
  public static final String ALERT_ID = Extensions.NAMESPACE + "alert-id";

  /**
   * Code system of what an officer did about an alert, in the {@code code} of the AuditEvent the
   * console posts for it (whose {@code entity.what} references the alert AuditEvent).
   */
  public static final String ALERT_HANDLING = BASE + "alert-handling";

  /**
   * {@link #ALERT_HANDLING} code: the alert was acknowledged; the entity's detail has the comment.
   */
  public static final String ALERT_ACKNOWLEDGED = "acknowledged";

  private CodeSystems() {}
}
