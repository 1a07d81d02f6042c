/**
 * The tamper-evident hash chain over {@code audit.enriched}: the fields every chained AuditEvent
 * carries ({@link org.atnabridge.schemas.chain.ChainLink}), the documented canonical form and hash
 * ({@link org.atnabridge.schemas.chain.ChainHash}), the signed checkpoints of {@code
 * audit.checkpoints} ({@link org.atnabridge.schemas.chain.Checkpoint}) and the pure check that
 * {@code atna-bridge verify} and {@code GET /fhir/AuditEvent/$verify} share ({@link
 * org.atnabridge.schemas.chain.ChainVerifier}).
 *
 * <h2>The chain</h2>
 *
 * One chain per partition of {@code audit.enriched} (the enrichment writes each event to the same
 * partition number it read it from in {@code audit.events}). The first event of a chain has
 * sequence number 1 and previous hash {@link org.atnabridge.schemas.chain.ChainHash#GENESIS}; each
 * next event has sequence number + 1 and the previous event's hash. Nothing here does I/O.
 *
 * <p>The chain runs in the order the repository received its events ({@link
 * org.atnabridge.schemas.chain.ReceiptTime}), so a verification window is a set of chain positions
 * received in it, never a {@code recorded} range; and a store answers only for what it has indexed,
 * so what is chained but not indexed yet is a {@link org.atnabridge.schemas.chain.PendingTail}, not
 * a gap.
 */
@NullMarked
package org.atnabridge.schemas.chain;

import org.jspecify.annotations.NullMarked;
