/**
 * DICOM AuditMessage → FHIR R5 AuditEvent (the R5 AuditEvent's DICOM mappings), with the
 * codeSystemName → FHIR system table ({@link org.atnabridge.atna.fhir.Codings}) and HL7 CX patient
 * ids.
 *
 * <p>A ParticipantObjectID that is a relative literal reference ({@code Patient/123}, as PDQm
 * ITI-78 audits carry it; the type an R5 resource type, equal to {@code what.type} when that is
 * set) is {@code what.reference} (and {@code AuditEvent.patient.reference} for the patient) besides
 * the identifier ({@link org.atnabridge.atna.fhir.RelativeReference}); every other id is an
 * identifier only.
 *
 * <h2>Extensions defined by ATNA Bridge</h2>
 *
 * Canonical base {@value org.atnabridge.schemas.vocab.Extensions#BASE}; URLs in {@link
 * org.atnabridge.schemas.vocab.Extensions}, code systems in {@link
 * org.atnabridge.schemas.vocab.CodeSystems}.
 *
 * <ul>
 *   <li>{@code syslog-header} (AuditEvent, complex): {@code format} (code
 *       rfc5424|rfc3164|pri-only), {@code facility}, {@code severity} (integer), {@code hostname},
 *       {@code app-name}, {@code procid}, {@code msgid}, {@code timestamp} (raw text), {@code
 *       structured-data} (raw text) — all strings unless noted; absent when the frame had no syslog
 *       header.
 *   <li>{@code raw-receipt} (AuditEvent, complex): {@code transport} (code), {@code peer}, {@code
 *       received-at} (instant), {@code listener}, {@code sha256} (hex of the whole frame).
 *   <li>{@code correlation-id} (AuditEvent, string): the id without its {@code -n} suffix; equal on
 *       all AuditEvents split from one message.
 *   <li>{@code participant-object-type} (entity, Coding in audit-entity-type):
 *       ParticipantObjectTypeCode.
 *   <li>{@code participant-object-id} (entity, string): raw ParticipantObjectID when the identifier
 *       holds a parsed CX/token form.
 *   <li>{@code participant-object-description} (entity, complex): ParticipantObjectDescription
 *       (text, mpps, accession, study, sop-class{uid, number-of-instances, instance}, encrypted,
 *       anonymized).
 *   <li>{@code network-access-point-type} (agent, Coding in our {@code network-access-point-type}
 *       code system): NetworkAccessPointTypeCode, dropped by R5.
 * </ul>
 *
 * Tolerated irregularities are {@code meta.tag}s in our {@code conversion-flag} code system ({@link
 * org.atnabridge.atna.fhir.ConversionFlag}). HL7 extensions used: {@code
 * auditevent-AlternativeUserID} (agent, Identifier), {@code auditevent-Lifecycle} (entity, Coding
 * in dicom-audit-lifecycle), {@code data-absent-reason} (on an empty {@code who}/{@code observer}
 * Reference).
 *
 * <h2>Ids</h2>
 *
 * {@code AuditEvent.id} = first 40 lowercase hex chars of SHA-256({@code
 * "atna-bridge:audit-message:v2"}, NUL, sender, NUL, audit message), with {@code -1}, {@code -2}, …
 * appended when the message is split per patient ({@link org.atnabridge.atna.EventIds}). The audit
 * message is the syslog MSG part (the XML, without BOM and surrounding white space), not the
 * header: a retry with a fresh syslog header has the same id. The sender is the peer's IP address
 * without port (IPv4-mapped IPv6 as IPv4), whatever the transport: a replay of a TLS frame over UDP
 * from the same address has the same id, and audit-streams keeps the first receipt (later ones are
 * dropped and counted in {@code atna.streams.duplicates}); the same frame from another address is a
 * separate event attributed to that address. Only an operator's re-conversion of the same {@code
 * atna.raw} record replaces an event.
 *
 * <p>Before this rule ids were SHA-256 of the whole frame (same shape). Those ids stay as they are
 * in the stores; a message first received before the upgrade and sent again after it gets an id of
 * the new form, so it is stored once more, as a new event, and never replaces the earlier one. A
 * re-conversion of pre-upgrade {@code atna.raw} records likewise gives new-form ids next to the
 * stored old ones.
 */
@NullMarked
package org.atnabridge.atna.fhir;

import org.jspecify.annotations.NullMarked;
