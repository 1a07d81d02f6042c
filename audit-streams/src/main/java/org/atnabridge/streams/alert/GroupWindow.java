package org.atnabridge.streams.alert;

import java.util.List;
import org.atnabridge.streams.alert.rules.RuleKind;

/**
 * The window state of one rule and group (threshold, distinct, sequence).
 *
 * @param kind the rule's kind when the state was written (a reload that changes it starts afresh)
 * @param consumedUntil event time (ms) up to which events were consumed by a firing: an event at or
 *     before it is not counted again, nor is one arriving later; {@link Long#MIN_VALUE} if none
 * @param entries the counted, unconsumed events still inside the horizon, in event time order
 */
record GroupWindow(RuleKind kind, long consumedUntil, List<WindowEntry> entries) {

  GroupWindow {
    entries = List.copyOf(entries);
  }

  static GroupWindow empty(RuleKind kind) {
    return new GroupWindow(kind, Long.MIN_VALUE, List.of());
  }
}
