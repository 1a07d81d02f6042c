/**
 * {@code audit.events} → {@code audit.enriched}: enrichment from the reference GlobalKTables
 * (people, patients, nodes), security labels in {@code meta.security}, then the hash chain
 * ({@link org.atnabridge.streams.chain}). {@link org.atnabridge.streams.enrich.EnrichTopology#build}
 * builds the topology; {@link org.atnabridge.streams.enrich.AuditEventEnricher} is the pure
 * function that does the enrichment and labelling.
 */
@NullMarked
package org.atnabridge.streams.enrich;

import org.jspecify.annotations.NullMarked;
