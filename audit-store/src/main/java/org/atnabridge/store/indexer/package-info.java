/**
 * The Kafka consumer that feeds a store from {@code audit.events}. At-least-once with idempotent
 * writes: offsets are committed only after the store flushed what was indexed, and a redelivered
 * event replaces itself by id; what can never be indexed goes to {@code audit.dlq}.
 */
@NullMarked
package org.atnabridge.store.indexer;

import org.jspecify.annotations.NullMarked;
