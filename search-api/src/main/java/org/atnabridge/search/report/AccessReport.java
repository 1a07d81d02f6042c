package org.atnabridge.search.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.atnabridge.store.AuditEventSearch;
import org.atnabridge.store.AuditQuery;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.Reference;
import org.jspecify.annotations.Nullable;

/**
 * Who accessed a patient's records: the matching events walked page by page ({@link EventWalk}) and
 * folded into one line per user, so memory grows with the number of users, not of events. The user
 * of an event is its requestor agent (the person or system that asked); when no agent is flagged
 * requestor, the first agent. A walk stops after {@code maxEvents} events and the report says it is
 * incomplete ({@link Long#MAX_VALUE}: never).
 *
 * @param users most accesses first, then most recent
 * @param walk how many events were folded and how many matched
 */
record AccessReport(List<UserAccess> users, EventWalk walk) {

  /** How many events one report reads at most. */
  static final int DEFAULT_MAX_EVENTS = EventWalk.DEFAULT_MAX_EVENTS;

  /** Events folded into {@code users}. */
  long eventsCounted() {
    return walk.counted();
  }

  /** Events in the window for this patient (the store's exact total). */
  long eventsMatching() {
    return walk.matching();
  }

  boolean complete() {
    return walk.complete();
  }

  /** One user's accesses; sets are ordered by key so that output is stable. */
  record UserAccess(
      Reference who,
      String display,
      long count,
      Instant first,
      Instant last,
      Map<String, Coding> purposes,
      Map<String, String> actions,
      Map<String, Coding> outcomes) {}

  static AccessReport run(AuditEventSearch search, AuditQuery.Builder query, long maxEvents) {
    Map<String, Accumulator> users = new LinkedHashMap<>();
    EventWalk walk =
        EventWalk.run(
            search,
            query,
            maxEvents,
            event -> {
              for (AuditEvent.AuditEventAgentComponent agent : users(event)) {
                users
                    .computeIfAbsent(key(agent.getWho()), k -> new Accumulator(agent.getWho()))
                    .add(event, agent);
              }
            });
    List<UserAccess> lines = new ArrayList<>();
    users.values().forEach(a -> lines.add(a.done()));
    lines.sort(
        Comparator.comparingLong(UserAccess::count)
            .reversed()
            .thenComparing(UserAccess::last, Comparator.reverseOrder())
            .thenComparing(UserAccess::display));
    return new AccessReport(List.copyOf(lines), walk);
  }

  /** The requestor agents, or the first agent when none is flagged. */
  private static List<AuditEvent.AuditEventAgentComponent> users(AuditEvent event) {
    List<AuditEvent.AuditEventAgentComponent> requestors =
        event.getAgent().stream().filter(a -> a.getRequestor() && a.hasWho()).toList();
    if (!requestors.isEmpty()) {
      return requestors;
    }
    return event.getAgent().stream()
        .filter(AuditEvent.AuditEventAgentComponent::hasWho)
        .limit(1)
        .toList();
  }

  /** A user is who the reference, else the identifier, else the display names. */
  static String key(Reference who) {
    if (who.hasReference()) {
      return "ref:" + who.getReference();
    }
    if (who.hasIdentifier() && who.getIdentifier().hasValue()) {
      return "id:"
          + (who.getIdentifier().hasSystem() ? who.getIdentifier().getSystem() : "")
          + "|"
          + who.getIdentifier().getValue();
    }
    return "display:" + (who.hasDisplay() ? who.getDisplay() : "");
  }

  /** How a user is written in one cell: reference, {@code system|value} or display. */
  static String label(Reference who) {
    if (who.hasReference()) {
      return who.getReference();
    }
    if (who.hasIdentifier() && who.getIdentifier().hasValue()) {
      return (who.getIdentifier().hasSystem() ? who.getIdentifier().getSystem() + "|" : "")
          + who.getIdentifier().getValue();
    }
    return who.hasDisplay() ? who.getDisplay() : "";
  }

  private static final class Accumulator {
    private final Reference who;
    private String display;
    private long count;
    private @Nullable Instant first;
    private @Nullable Instant last;
    private final SortedMap<String, Coding> purposes = new TreeMap<>();
    private final SortedMap<String, String> actions = new TreeMap<>();
    private final SortedMap<String, Coding> outcomes = new TreeMap<>();

    Accumulator(Reference who) {
      this.who =
          new Reference()
              .setReference(who.getReference())
              .setIdentifier(who.getIdentifier().copy())
              .setDisplay(who.getDisplay());
      if (!who.hasIdentifier()) {
        this.who.setIdentifier(null);
      }
      this.display = who.hasDisplay() ? who.getDisplay() : "";
    }

    void add(AuditEvent event, AuditEvent.AuditEventAgentComponent agent) {
      count++;
      if (display.isEmpty() && agent.getWho().hasDisplay()) {
        display = agent.getWho().getDisplay();
      }
      if (event.hasRecorded()) {
        Instant at = event.getRecorded().toInstant();
        first = first == null || at.isBefore(first) ? at : first;
        last = last == null || at.isAfter(last) ? at : last;
      }
      event.getAuthorization().forEach(this::purpose);
      agent.getAuthorization().forEach(this::purpose);
      if (event.hasAction()) {
        actions.putIfAbsent(event.getAction().toCode(), event.getAction().getDisplay());
      }
      if (event.hasOutcome() && event.getOutcome().hasCode()) {
        Coding c = event.getOutcome().getCode();
        outcomes.putIfAbsent(c.getSystem() + "|" + c.getCode(), c.copy());
      }
    }

    private void purpose(CodeableConcept concept) {
      for (Coding c : concept.getCoding()) {
        if (c.hasCode()) {
          purposes.putIfAbsent(c.getSystem() + "|" + c.getCode(), c.copy());
        }
      }
      if (!concept.hasCoding() && concept.hasText()) {
        purposes.putIfAbsent("|" + concept.getText(), new Coding().setDisplay(concept.getText()));
      }
    }

    UserAccess done() {
      Instant none = Instant.EPOCH;
      return new UserAccess(
          who,
          display,
          count,
          first == null ? none : first,
          last == null ? none : last,
          Collections.unmodifiableSortedMap(purposes),
          Collections.unmodifiableSortedMap(actions),
          Collections.unmodifiableSortedMap(outcomes));
    }
  }
}
