/**
 * {@code POST /ingest/access-logs}: HTTP access log lines, as Fluent Bit's and Vector's {@code
 * http} outputs send them (newline-delimited text or NDJSON, optionally gzip), each written as one
 * record to {@code accesslog.raw} with its secret query values masked, answered 202 only once Kafka
 * has acknowledged every line. Served on the API port ({@code SearchServer}) and by {@code
 * atna-bridge ingest} ({@code IntakeServer}).
 */
@NullMarked
package org.atnabridge.search.intake;

import org.jspecify.annotations.NullMarked;
