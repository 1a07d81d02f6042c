/**
 * {@code accesslog.raw} → {@code audit.events}: every HTTP access log line (alone, or the MSG of a
 * syslog frame) becomes BALP RESTful AuditEvents (which go on to enrichment in the same task like
 * converted ATNA messages), is dropped and counted when its source's rules say it is no FHIR / REST
 * interaction, or lands in {@code audit.dlq} with its original bytes, headers and a typed reason.
 */
@NullMarked
package org.atnabridge.streams.accesslog;

import org.jspecify.annotations.NullMarked;
