/**
 * Alert rules evaluated in the stream, on event time. The topology ({@code AlertTopology}) reads
 * {@code audit.enriched}; a per-event stage turns each event into the {@link
 * org.atnabridge.streams.alert.Observation}s of the rules it meets, keyed by rule and group; the
 * repartition topic brings a group's observations to one task, whose stateful stage keeps windows,
 * first-seen sets, silence clocks and suppression in state stores and emits {@link
 * org.atnabridge.streams.alert.Firing}s; the alert stage writes each as an {@link
 * org.atnabridge.schemas.alert.Alert} to {@code audit.alerts} and as a Security Alert AuditEvent to
 * {@code audit.posted}. Alert AuditEvents are never evaluated, so an alert cannot trigger itself.
 */
@NullMarked
package org.atnabridge.streams.alert;

import org.jspecify.annotations.NullMarked;
