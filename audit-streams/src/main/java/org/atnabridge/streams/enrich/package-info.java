/**
 * Enrichment of every AuditEvent (converted, or posted to {@code audit.posted}) from the reference
 * GlobalKTables (people, patients, nodes) and its security labels in {@code meta.security}, before
 * the hash chain ({@link org.atnabridge.streams.chain}). {@link
 * org.atnabridge.streams.enrich.AuditEventEnricher} is the pure function that does the enrichment
 * and labelling.
 */
@NullMarked
package org.atnabridge.streams.enrich;

import org.jspecify.annotations.NullMarked;
