package org.atnabridge.atna.fhir;

import java.util.Locale;
import org.atnabridge.schemas.vocab.CodeSystems;

/**
 * Irregularities the converter tolerated instead of rejecting (ITI-20: the ARR accepts anything).
 * Written as {@code meta.tag} codes in {@link CodeSystems#CONVERSION_FLAG}; the code is the
 * constant name in lower case with hyphens (e.g. {@code recorded-zone-assumed}).
 */
public enum ConversionFlag {
  /** EventDateTime had no zone; UTC assumed (R5 {@code recorded} is an instant). */
  RECORDED_ZONE_ASSUMED,
  /** EventDateTime missing or invalid; {@code recorded} is the syslog TIMESTAMP. */
  RECORDED_FROM_SYSLOG,
  /**
   * EventDateTime missing or invalid and no syslog TIMESTAMP; {@code recorded} is the receive time.
   */
  RECORDED_FROM_RECEIPT,
  /** EventActionCode missing or not one of C/R/U/D/E. */
  ACTION_INVALID,
  /** EventOutcomeIndicator missing or not one of 0/4/8/12. */
  OUTCOME_INVALID,
  /** No EventTypeCode: {@code code} is a copy of EventID (R5 code is 1..1). */
  CODE_FROM_EVENT_ID,
  /** UserIsRequestor absent or not boolean; RFC 3881 default {@code true} used. */
  REQUESTOR_DEFAULTED,
  /** An ActiveParticipant had an empty UserID. */
  USER_ID_MISSING,
  /** No usable AuditSourceIdentification; observer taken from the syslog HOSTNAME or the peer. */
  SOURCE_MISSING,
  /** More than one AuditSourceIdentification (RFC 3881 allows 1..*); only the first is mapped. */
  EXTRA_SOURCES_IGNORED,
  /** ParticipantObjectQuery was not valid base64; its text was base64-encoded. */
  QUERY_NOT_BASE64,
  /** A ParticipantObjectDetail value was not valid base64; kept as valueString. */
  DETAIL_NOT_BASE64,
  /**
   * An enumerated DICOM value (ParticipantObjectTypeCode 1..4, ParticipantObjectTypeCodeRole 1..24,
   * ParticipantObjectDataLifeCycle 1..15) was out of range: kept as CodeableConcept text, not
   * coded.
   */
  CODE_OUT_OF_RANGE,
  /** The message named several patients and was split into one AuditEvent per patient. */
  SPLIT_PER_PATIENT,
  /** Syslog TIMESTAMP invalid (kept raw in the syslog-header extension). */
  SYSLOG_TIMESTAMP_INVALID,
  /** RFC 3164 timestamp: receive year assumed. */
  SYSLOG_YEAR_ASSUMED,
  /** RFC 3164 timestamp: UTC assumed. */
  SYSLOG_ZONE_ASSUMED,
  /** PRIVAL out of range or with leading zeros. */
  SYSLOG_PRI_INVALID,
  /** STRUCTURED-DATA unparseable. */
  SYSLOG_STRUCTURED_DATA_INVALID;

  public String code() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
