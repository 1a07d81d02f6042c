/**
 * ATNA conversion: one syslog frame carrying a DICOM PS3.15 A.5 (or RFC 3881) audit message → FHIR
 * R5 AuditEvents. Pure library: no I/O, no Kafka, no per-message logging.
 *
 * <p>Entry point {@link org.atnabridge.atna.AtnaConverter}; failures are {@link
 * org.atnabridge.atna.ConversionException}s carrying a {@link
 * org.atnabridge.atna.ConversionFailure} that drives dead-letter routing. Sub-packages: {@code
 * syslog} (headers), {@code dicom} (XML model and safe reader), {@code fhir} (mapping, extension
 * URLs, id rules). Event ids: {@link org.atnabridge.atna.EventIds} (the audit message and its
 * sender, not the syslog header; see the {@code fhir} package docs for what that means for retries,
 * replays and events stored before).
 */
@NullMarked
package org.atnabridge.atna;

import org.jspecify.annotations.NullMarked;
