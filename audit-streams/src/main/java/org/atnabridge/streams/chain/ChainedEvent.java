package org.atnabridge.streams.chain;

/**
 * A chained AuditEvent on its way to {@code audit.enriched}: its FHIR JSON (already encoded while
 * hashing, so it is not encoded twice) and the partition of its chain.
 */
public record ChainedEvent(int partition, byte[] json) {}
