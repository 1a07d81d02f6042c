/**
 * The Kafka consumer that feeds a store from an AuditEvent topic ({@code audit.enriched} in every
 * service). At-least-once with idempotent writes: offsets are committed only after the store
 * flushed what was indexed, and a redelivered event replaces itself by id; what can never be
 * indexed goes to {@code audit.dlq}.
 */
@NullMarked
package org.atnabridge.store.indexer;

import org.jspecify.annotations.NullMarked;
