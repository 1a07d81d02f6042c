/**
 * What becomes of a record besides its output, shared by every step of the audit-streams topology:
 * {@link org.atnabridge.streams.outcome.StreamsMeters} counts it (converted, posted, chained,
 * duplicate, dead-lettered), {@link org.atnabridge.streams.outcome.DeadLetters} parks one that
 * cannot be processed in {@code audit.dlq}. Knows nothing of the topology: the sink a dead letter
 * goes to is given by whoever wires the steps.
 */
@NullMarked
package org.atnabridge.streams.outcome;

import org.jspecify.annotations.NullMarked;
