/**
 * The in-process shortcut from convert to enrich: {@link
 * org.atnabridge.streams.handoff.EventHandoff} lets the enrich application take the AuditEvent
 * object the convert application just encoded, instead of parsing the same JSON back from
 * {@code audit.events}. The topic is still written and read exactly as before.
 */
@NullMarked
package org.atnabridge.streams.handoff;

import org.jspecify.annotations.NullMarked;
