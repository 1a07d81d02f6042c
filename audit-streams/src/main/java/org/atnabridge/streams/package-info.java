/**
 * The Kafka Streams application between the raw and the audit topics: one {@code KafkaStreams}
 * instance with a constant application id ({@link org.atnabridge.streams.StreamsService}) running
 * {@link org.atnabridge.streams.AuditTopology}, built by one static function that {@link
 * org.atnabridge.streams.AuditStreams} and the tests call alike.
 *
 * <p>Layers, each importing only those below it (no circle): this package wires and runs; {@code
 * convert}, {@code enrich} and {@code chain} hold the steps, plain processors told their stores and
 * the nodes they forward to; {@code outcome} (meters, dead letters) and {@code reference} are
 * shared below them.
 *
 * <p>Routes. The topic of record is {@code audit.events}: every AuditEvent, converted from {@code
 * atna.raw} or posted by the API, is written there by the task that chains it, in the same
 * exactly-once transaction as its {@code audit.enriched} record, its chain head and its input
 * offset. The API posts to its own intake, {@code audit.posted}; the task reads {@code atna.raw}
 * and {@code audit.posted} and never {@code audit.events}, so nothing it wrote comes back to it.
 * Task p chains partition p of both inputs (same partition counts, keys hashed as before), so the
 * chains, their state stores ({@code chain-head}, {@code chain-recent-ids}) and the application id
 * carry over unchanged. Upgrade: {@link org.atnabridge.streams.PostedEventsHandover} moves, once,
 * the posted records an API wrote to {@code audit.events} that the application had not read yet,
 * atomically with its offsets there, so none is lost or chained twice.
 */
@NullMarked
package org.atnabridge.streams;

import org.jspecify.annotations.NullMarked;
