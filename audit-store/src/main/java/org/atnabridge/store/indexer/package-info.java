/**
 * The Kafka consumer that feeds a store from {@code audit.events}. At-least-once with idempotent
 * writes: offsets are committed only after the store accepted the batch, and a redelivered event
 * replaces itself by id.
 */
@NullMarked
package org.atnabridge.store.indexer;

import org.jspecify.annotations.NullMarked;
