/**
 * The storage SPI, shaped like Zipkin's {@code StorageComponent}: an {@link
 * org.atnabridge.store.AuditStore} hands out a write side ({@link
 * org.atnabridge.store.AuditEventWriter}) and a read side ({@link
 * org.atnabridge.store.AuditEventSearch}). Engines live in {@code .lucene} (embedded default) and
 * {@code .elasticsearch}; the Kafka consumer that feeds them lives in {@code .indexer}.
 */
@NullMarked
package org.atnabridge.store;

import org.jspecify.annotations.NullMarked;
