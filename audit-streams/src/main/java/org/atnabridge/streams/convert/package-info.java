/**
 * {@code atna.raw} → {@code audit.events}: every raw syslog frame becomes one or more FHIR R5
 * AuditEvents (which go on to enrichment in the same task), or lands in {@code audit.dlq} with its
 * original bytes, headers and a typed reason.
 */
@NullMarked
package org.atnabridge.streams.convert;

import org.jspecify.annotations.NullMarked;
