package org.atnabridge.streams.subscription;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.atnabridge.store.EventValues;
import org.atnabridge.store.IndexTerm;
import org.jspecify.annotations.Nullable;

/**
 * Every known Subscription, the active ones indexed by the terms their matcher requires ({@link
 * org.atnabridge.store.AuditEventMatcher#anchorTerms()}: a pinned patient, agent, entity or,
 * failing those, a code), the rest (no required term) in a scan list. An event is tested only
 * against the subscriptions found under its own values plus the scan list, so ten thousand
 * subscriptions on one patient each cost a few hash lookups per event, not ten thousand tests.
 *
 * <p>Written by the global thread (subscription changes), read by the stream threads (events):
 * guarded by a read-write lock, so an event sees a subscription either before or after a change,
 * never half-changed or absent in between.
 */
public final class SubscriptionIndex {

  private final ReadWriteLock lock = new ReentrantReadWriteLock();

  /** Ids of stored, not deleted subscriptions, active or not. */
  private final Set<String> known = new HashSet<>();

  private final Map<String, ActiveSubscription> active = new HashMap<>();

  /** Physical field → value → the active subscriptions anchored on that term. */
  private final Map<String, Map<String, List<ActiveSubscription>>> anchored = new HashMap<>();

  private final Map<String, ActiveSubscription> scanned = new LinkedHashMap<>();

  /** Records that {@code id} is stored; {@code s} is its compiled form, null when not matched. */
  public void put(String id, @Nullable ActiveSubscription s) {
    lock.writeLock().lock();
    try {
      unindex(id);
      known.add(id);
      if (s != null) {
        index(s);
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Forgets a deleted subscription. */
  public void remove(String id) {
    lock.writeLock().lock();
    try {
      unindex(id);
      known.remove(id);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Forgets every subscription. */
  public void clear() {
    lock.writeLock().lock();
    try {
      known.clear();
      active.clear();
      anchored.clear();
      scanned.clear();
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Whether {@code id} is a stored, not deleted subscription (active or not). */
  public boolean known(String id) {
    lock.readLock().lock();
    try {
      return known.contains(id);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** How many subscriptions are matched. */
  public int active() {
    lock.readLock().lock();
    try {
      return active.size();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The active subscriptions the event projected as {@code values} is one of, at {@code now}. */
  public List<ActiveSubscription> matching(EventValues values, Instant now) {
    List<ActiveSubscription> out = candidates(values);
    out.removeIf(s -> !s.matches(values, now));
    return out;
  }

  /**
   * The subscriptions worth testing on the event: those anchored on one of its terms, and those
   * that have no anchor. Each once.
   */
  List<ActiveSubscription> candidates(EventValues values) {
    List<ActiveSubscription> out = new ArrayList<>(2);
    lock.readLock().lock();
    try {
      for (Map.Entry<String, Map<String, List<ActiveSubscription>>> field : anchored.entrySet()) {
        Set<String> terms = values.terms(field.getKey());
        if (terms.isEmpty()) {
          continue;
        }
        Map<String, List<ActiveSubscription>> byValue = field.getValue();
        for (String term : terms) {
          List<ActiveSubscription> found = byValue.get(term);
          if (found != null) {
            for (ActiveSubscription s : found) {
              // a subscription anchored on several terms may be found under more than one
              if (s.matcher().anchorTerms().size() == 1 || !out.contains(s)) {
                out.add(s);
              }
            }
          }
        }
      }
      out.addAll(scanned.values());
    } finally {
      lock.readLock().unlock();
    }
    return out;
  }

  /** How many active subscriptions have no anchor term and are tested on every event. */
  int scanned() {
    lock.readLock().lock();
    try {
      return scanned.size();
    } finally {
      lock.readLock().unlock();
    }
  }

  private void index(ActiveSubscription s) {
    active.put(s.id(), s);
    List<IndexTerm> terms = s.matcher().anchorTerms();
    if (terms.isEmpty()) {
      scanned.put(s.id(), s);
      return;
    }
    for (IndexTerm t : terms) {
      List<ActiveSubscription> list =
          anchored
              .computeIfAbsent(t.field(), f -> new HashMap<>())
              .computeIfAbsent(t.value(), v -> new ArrayList<>(1));
      if (!list.contains(s)) {
        list.add(s);
      }
    }
  }

  private void unindex(String id) {
    ActiveSubscription s = active.remove(id);
    if (s == null) {
      return;
    }
    if (scanned.remove(id) != null) {
      return;
    }
    for (IndexTerm t : s.matcher().anchorTerms()) {
      Map<String, List<ActiveSubscription>> byValue = anchored.get(t.field());
      if (byValue == null) {
        continue;
      }
      List<ActiveSubscription> list = byValue.get(t.value());
      if (list != null) {
        list.remove(s);
        if (list.isEmpty()) {
          byValue.remove(t.value());
        }
      }
      if (byValue.isEmpty()) {
        anchored.remove(t.field());
      }
    }
  }
}
