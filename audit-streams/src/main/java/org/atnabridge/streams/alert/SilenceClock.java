package org.atnabridge.streams.alert;

import java.util.List;
import org.atnabridge.schemas.alert.Alert;

/**
 * When a source (a silence rule's group) was last heard from.
 *
 * @param lastSeen the highest event time (ms) of its events
 * @param lastEvent the id of that event; "" for a source known from reference data and not heard
 *     from yet, whose {@code lastSeen} is when it became known
 * @param agents that event's agents (at most {@link WindowEntry#MAX_PARTIES}): the source itself
 * @param firedFor the {@code lastSeen} the rule last fired for, {@link Long#MIN_VALUE} if never: a
 *     silence fires once, and again only after the source was heard from (lastSeen moved on)
 */
record SilenceClock(long lastSeen, String lastEvent, List<Alert.Party> agents, long firedFor) {

  SilenceClock {
    agents = List.copyOf(agents);
  }

  boolean fired() {
    return firedFor == lastSeen;
  }

  /**
   * Known from reference data only: {@code lastSeen} is when it became known, no event heard yet.
   */
  boolean neverHeard() {
    return lastEvent.isEmpty();
  }
}
