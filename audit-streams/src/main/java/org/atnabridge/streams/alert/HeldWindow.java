package org.atnabridge.streams.alert;

import java.util.List;

/**
 * A window in which a rule's condition holds.
 *
 * @param start event time (ms) of the window's first counted event
 * @param end {@code start} plus the rule's window
 * @param counted the events the condition counted, in event time order
 * @param what the condition for people, without the group ("5 events within PT5M")
 */
record HeldWindow(long start, long end, List<WindowEntry> counted, String what) {

  HeldWindow {
    counted = List.copyOf(counted);
  }
}
