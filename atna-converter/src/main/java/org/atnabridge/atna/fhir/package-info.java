/**
 * DICOM AuditMessage → FHIR R5 AuditEvent (standards §3.3), with the code-system table of §2.2
 * and HL7 CX patient ids.
 *
 * <h2>Extensions defined by ATNA Bridge</h2>
 * Canonical base {@code http://atna-bridge.org/fhir/StructureDefinition/}; constants in
 * {@link org.atnabridge.atna.fhir.AtnaExtensions}.
 * <ul>
 *   <li>{@code syslog-header} (AuditEvent, complex): {@code format} (code rfc5424|rfc3164|pri-only),
 *       {@code facility}, {@code severity} (integer), {@code hostname}, {@code app-name},
 *       {@code procid}, {@code msgid}, {@code timestamp} (raw text), {@code structured-data} (raw
 *       text) — all strings unless noted; absent when the frame had no syslog header.</li>
 *   <li>{@code raw-receipt} (AuditEvent, complex): {@code transport} (code), {@code peer},
 *       {@code received-at} (instant), {@code listener}, {@code sha256} (hex of the whole frame).</li>
 *   <li>{@code correlation-id} (AuditEvent, string): first 40 hex chars of the frame's SHA-256; equal
 *       on all AuditEvents split from one message.</li>
 *   <li>{@code participant-object-type} (entity, Coding in audit-entity-type): ParticipantObjectTypeCode.</li>
 *   <li>{@code participant-object-id} (entity, string): raw ParticipantObjectID when the identifier
 *       holds a parsed CX/token form.</li>
 *   <li>{@code participant-object-description} (entity, complex): ParticipantObjectDescription
 *       (text, mpps, accession, study, sop-class{uid, number-of-instances, instance}, encrypted, anonymized).</li>
 *   <li>{@code network-access-point-type} (agent, Coding in {@code http://hl7.org/fhir/network-type}):
 *       NetworkAccessPointTypeCode, dropped by R5.</li>
 * </ul>
 * Tolerated irregularities are {@code meta.tag}s in {@code http://atna-bridge.org/fhir/CodeSystem/conversion-flag}
 * ({@link org.atnabridge.atna.fhir.ConversionFlag}). HL7 extensions used: {@code auditevent-AlternativeUserID}
 * (agent, Identifier), {@code auditevent-Lifecycle} (entity, Coding in dicom-audit-lifecycle),
 * {@code data-absent-reason} (on an empty {@code who}/{@code observer} Reference).
 *
 * <h2>Ids</h2>
 * {@code AuditEvent.id} = first 40 lowercase hex chars of SHA-256(frame bytes), with {@code -1},
 * {@code -2}, … appended when the message is split per patient: replays produce the same ids.
 */
@NullMarked
package org.atnabridge.atna.fhir;

import org.jspecify.annotations.NullMarked;
