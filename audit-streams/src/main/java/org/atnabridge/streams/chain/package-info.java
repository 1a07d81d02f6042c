/**
 * The tamper-evident chain step of the audit-streams topology: {@link
 * org.atnabridge.streams.chain.ChainProcessor} gives each event its sequence number, previous hash
 * and own hash per partition (rules in {@link org.atnabridge.schemas.chain}), keeps the head in a
 * state store (so a restart continues the chain) and emits Ed25519-signed checkpoints signed with
 * {@link org.atnabridge.streams.chain.CheckpointKeys}.
 */
@NullMarked
package org.atnabridge.streams.chain;

import org.jspecify.annotations.NullMarked;
