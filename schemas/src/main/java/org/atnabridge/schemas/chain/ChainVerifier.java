package org.atnabridge.schemas.chain;

import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.atnabridge.schemas.chain.ChainFinding.Kind;
import org.hl7.fhir.r5.model.AuditEvent;
import org.jspecify.annotations.Nullable;

/**
 * Checks stored AuditEvents and signed checkpoints against the chain rules ({@link ChainLink},
 * {@link ChainHash}, {@link Checkpoint}). Pure: the caller fetches the events (all of them, or
 * those received in a window), the checkpoints and, when it can ask the indexer, each chain's
 * {@link PendingTail}; only {@code lookup} (read by id) and {@link Positions} (read by sequence
 * number) are called back, in a window.
 *
 * <p><b>A window</b> is a set of chain positions, not a {@code recorded} range: the chain runs in
 * the order the repository received its events, while {@code recorded} is the sender's clock. The
 * caller selects the events received in the window ({@link ReceiptTime}); per chain the window is
 * every position from the first to the last of them. Positions in between that the selection did
 * not return (an event received at nearly the same time on another connection, an event posted with
 * another {@code recorded}) are read by sequence number before any is called missing.
 *
 * <p>Per chain (partition):
 *
 * <ol>
 *   <li>an event without chain fields is {@code UNCHAINED}; one whose recomputed hash differs from
 *       its {@code hash} is {@code ALTERED};
 *   <li>two stored events with one sequence number are {@code DUPLICATE_SEQ};
 *   <li>every sequence number from 1 (or, for a window, its first position) up to the highest one
 *       seen — for a full check also up to the highest validly signed checkpoint — must have a
 *       stored event, or be named by a later event's {@code replaces-seq}; each run of missing
 *       numbers is one {@code GAP}. Numbers past the chain's {@link PendingTail#indexedThrough()}
 *       (when it has events pending) are not yet indexed: pending, never a gap. In a window, a
 *       missing predecessor is first fetched by its {@code prev-id}, since it may only have been
 *       received outside the window;
 *   <li>each event's {@code prev} must equal its predecessor's hash (GENESIS for seq 1): when it
 *       equals another event's hash instead the event is {@code REORDERED}, otherwise its link is
 *       {@code BROKEN_LINK};
 *   <li>a checkpoint must verify with the trusted key ({@code BAD_SIGNATURE}; {@code OTHER_KEY}
 *       when it names another key) and match the stored hash at its sequence number ({@code
 *       CHECKPOINT_MISMATCH});
 *   <li>a pending tail whose oldest event was received longer ago than the bound is {@code
 *       PENDING_OVERDUE}: the indexer is stopped or stuck.
 * </ol>
 *
 * Limits: events chained after the last checkpoint and deleted from the end of a chain cannot be
 * noticed (that is what frequent checkpoints bound); a window cannot see deletions at its edges.
 */
public final class ChainVerifier {

  private ChainVerifier() {}

  private record Entry(AuditEvent event, ChainLink link) {}

  /** The default bound on how long a received event may stay pending (not indexed). */
  public static final Duration DEFAULT_PENDING_BOUND = Duration.ofMinutes(5);

  /** Reads the stored events at some positions of a chain: those a window's selection left out. */
  @FunctionalInterface
  public interface Positions {
    /** None: every position not selected counts as missing. */
    Positions NONE = (partition, seqs) -> List.of();

    List<AuditEvent> at(int partition, List<Long> seqs);
  }

  /**
   * A check without indexer positions (every chained number must be stored) and, in a window,
   * without reads by sequence number.
   *
   * @param events stored events (any order)
   * @param checkpoints checkpoints from {@code audit.checkpoints} (any order)
   * @param trustedKey the Ed25519 public key checkpoints must verify with, or null to skip
   *     signatures
   * @param window true when {@code events} are those received in a window rather than everything
   * @param lookup reads a stored event by resource id (used in a window only)
   */
  public static ChainReport verify(
      Collection<AuditEvent> events,
      Collection<Checkpoint> checkpoints,
      @Nullable PublicKey trustedKey,
      boolean window,
      Function<String, Optional<AuditEvent>> lookup) {
    return verify(
        events,
        checkpoints,
        trustedKey,
        window,
        lookup,
        Positions.NONE,
        List.of(),
        DEFAULT_PENDING_BOUND,
        Instant.now());
  }

  /**
   * @param events stored events (any order): all of them, or those received in the window
   * @param checkpoints checkpoints from {@code audit.checkpoints} (any order)
   * @param trustedKey the Ed25519 public key checkpoints must verify with, or null to skip
   *     signatures
   * @param window true when {@code events} are those received in a window rather than everything
   * @param lookup reads a stored event by resource id (used in a window only)
   * @param positions reads stored events by sequence number (used in a window only)
   * @param pending per chain, what the indexer has not indexed yet; a chain without one is checked
   *     up to its highest number
   * @param pendingBound how long a received event may stay pending before it is {@code
   *     PENDING_OVERDUE}
   * @param now the time the pending ages are measured at
   */
  public static ChainReport verify(
      Collection<AuditEvent> events,
      Collection<Checkpoint> checkpoints,
      @Nullable PublicKey trustedKey,
      boolean window,
      Function<String, Optional<AuditEvent>> lookup,
      Positions positions,
      Collection<PendingTail> pending,
      Duration pendingBound,
      Instant now) {
    Map<Integer, PendingTail> tails = new HashMap<>();
    pending.forEach(t -> tails.put(t.partition(), t));
    List<ChainFinding> findings = new ArrayList<>();
    Map<Integer, TreeMap<Long, List<Entry>>> chains = new TreeMap<>();
    long checked = 0;
    for (AuditEvent e : events) {
      checked++;
      Entry entry = entry(e, findings);
      if (entry != null) {
        chains
            .computeIfAbsent(entry.link().partition(), p -> new TreeMap<>())
            .computeIfAbsent(entry.link().seq(), s -> new ArrayList<>())
            .add(entry);
      }
    }
    Map<Integer, List<Checkpoint>> validCheckpoints = new HashMap<>();
    for (Checkpoint cp : checkpoints) {
      if (trustedKey != null && !cp.verify(trustedKey)) {
        String trustedId = Checkpoint.keyId(trustedKey);
        if (cp.keyId().matches("[0-9a-f]{16}") && !cp.keyId().equals(trustedId)) {
          findings.add(
              new ChainFinding(
                  Kind.OTHER_KEY,
                  cp.partition(),
                  cp.seq(),
                  cp.seq(),
                  null,
                  "checkpoint of "
                      + cp.time()
                      + " signed by another instance's key (key "
                      + cp.keyId()
                      + "; the trusted key is "
                      + trustedId
                      + ")"));
        } else {
          findings.add(
              new ChainFinding(
                  Kind.BAD_SIGNATURE,
                  cp.partition(),
                  cp.seq(),
                  cp.seq(),
                  null,
                  "checkpoint of "
                      + cp.time()
                      + " (key "
                      + cp.keyId()
                      + ") does not verify with the trusted key"));
        }
      } else {
        validCheckpoints.computeIfAbsent(cp.partition(), p -> new ArrayList<>()).add(cp);
        chains.computeIfAbsent(cp.partition(), p -> new TreeMap<>());
      }
    }
    for (Map.Entry<Integer, TreeMap<Long, List<Entry>>> chain : chains.entrySet()) {
      checked +=
          verifyChain(
              chain.getKey(),
              chain.getValue(),
              validCheckpoints.getOrDefault(chain.getKey(), List.of()),
              window,
              lookup,
              positions,
              tails.get(chain.getKey()),
              findings);
    }
    for (PendingTail t : tails.values()) {
      Instant oldest = t.oldestReceipt();
      if (t.count() > 0
          && oldest != null
          && Duration.between(oldest, now).compareTo(pendingBound) > 0) {
        findings.add(
            new ChainFinding(
                Kind.PENDING_OVERDUE,
                t.partition(),
                t.indexedThrough() + 1,
                t.lastSeq(),
                null,
                t.count()
                    + " chained event(s) not indexed yet, the oldest received "
                    + oldest
                    + ", "
                    + Duration.between(oldest, now).toSeconds()
                    + " s ago (bound "
                    + pendingBound
                    + "): is the indexer running?"));
      }
    }
    findings.sort(
        Comparator.comparingInt(ChainFinding::partition)
            .thenComparingLong(ChainFinding::fromSeq)
            .thenComparing(ChainFinding::kind));
    List<PendingTail> tailList = new ArrayList<>(tails.values());
    tailList.sort(Comparator.comparingInt(PendingTail::partition));
    return new ChainReport(checked, checkpoints.size(), trustedKey != null, findings, tailList);
  }

  private static @Nullable Entry entry(AuditEvent e, List<ChainFinding> findings) {
    ChainLink link = ChainLink.from(e);
    String id = e.getIdElement().getIdPart();
    if (link == null) {
      findings.add(
          new ChainFinding(Kind.UNCHAINED, -1, 0, 0, id, "stored event without chain fields"));
      return null;
    }
    if (!ChainHash.recompute(e, link).equals(link.hash())) {
      findings.add(
          new ChainFinding(
              Kind.ALTERED,
              link.partition(),
              link.seq(),
              link.seq(),
              id,
              "content does not match its hash"));
    }
    return new Entry(e, link);
  }

  /** Returns how many extra events it fetched. */
  private static long verifyChain(
      int partition,
      TreeMap<Long, List<Entry>> bySeq,
      List<Checkpoint> checkpoints,
      boolean window,
      Function<String, Optional<AuditEvent>> lookup,
      Positions positions,
      @Nullable PendingTail tail,
      List<ChainFinding> findings) {
    long fetched = 0;
    // numbers past the indexer's committed position are pending: not yet indexed is not missing
    long indexed = tail == null || tail.count() == 0 ? Long.MAX_VALUE : tail.indexedThrough();
    Map<Long, String> replaced = new HashMap<>();
    for (List<Entry> entries : bySeq.values()) {
      for (Entry en : entries) {
        if (en.link().replacesSeq() != null) {
          replaced.put(en.link().replacesSeq(), en.link().replacesHash());
        }
      }
    }
    if (window && !bySeq.isEmpty()) {
      // the window is every position from its first to its last event: read the ones not selected
      List<Long> unselected = new ArrayList<>();
      for (long s = bySeq.firstKey(); s < bySeq.lastKey(); s++) {
        if (!bySeq.containsKey(s) && !replaced.containsKey(s)) {
          unselected.add(s);
        }
      }
      for (int i = 0; i < unselected.size(); i += 1000) {
        for (AuditEvent e :
            positions.at(partition, unselected.subList(i, Math.min(unselected.size(), i + 1000)))) {
          Entry p = entry(e, findings);
          fetched++;
          if (p != null && p.link().partition() == partition) {
            bySeq.computeIfAbsent(p.link().seq(), s -> new ArrayList<>()).add(p);
          }
        }
      }
    }
    if (window) {
      for (Map.Entry<Long, List<Entry>> atSeq : new ArrayList<>(bySeq.entrySet())) {
        Entry first = atSeq.getValue().get(0);
        long prevSeq = atSeq.getKey() - 1;
        String prevId = first.link().prevId();
        if (prevSeq >= 1
            && !bySeq.containsKey(prevSeq)
            && !replaced.containsKey(prevSeq)
            && prevId != null) {
          Optional<AuditEvent> prev = lookup.apply(prevId);
          if (prev.isPresent()) {
            fetched++;
            Entry p = entry(prev.get(), findings);
            if (p != null && p.link().partition() == partition && p.link().seq() == prevSeq) {
              bySeq.computeIfAbsent(prevSeq, s -> new ArrayList<>()).add(p);
            }
          }
        }
      }
    }
    for (Map.Entry<Long, List<Entry>> s : bySeq.entrySet()) {
      if (s.getValue().stream().map(en -> en.event().getIdElement().getIdPart()).distinct().count()
          > 1) {
        findings.add(
            new ChainFinding(
                Kind.DUPLICATE_SEQ,
                partition,
                s.getKey(),
                s.getKey(),
                null,
                s.getValue().size()
                    + " stored events claim this sequence number: "
                    + s.getValue().stream()
                        .map(en -> en.event().getIdElement().getIdPart())
                        .toList()));
      }
    }
    long lo = window ? (bySeq.isEmpty() ? 1 : bySeq.firstKey()) : 1;
    long hi = bySeq.isEmpty() ? 0 : bySeq.lastKey();
    if (!window) {
      for (Checkpoint cp : checkpoints) {
        hi = Math.max(hi, cp.seq());
      }
    }
    long gapStart = -1;
    for (long s = lo; s <= hi + 1; s++) {
      boolean missing =
          s <= hi && s <= indexed && !bySeq.containsKey(s) && !replaced.containsKey(s);
      if (missing && gapStart < 0) {
        gapStart = s;
      } else if (!missing && gapStart >= 0) {
        findings.add(
            new ChainFinding(
                Kind.GAP,
                partition,
                gapStart,
                s - 1,
                null,
                (s - gapStart == 1
                    ? "no stored event with this sequence number"
                    : "no stored events with these sequence numbers")));
        gapStart = -1;
      }
    }
    Map<String, Long> seqByHash = new HashMap<>();
    bySeq.forEach(
        (seq, entries) -> entries.forEach(en -> seqByHash.putIfAbsent(en.link().hash(), seq)));
    replaced.forEach((seq, hash) -> seqByHash.putIfAbsent(hash, seq));
    for (Map.Entry<Long, List<Entry>> s : bySeq.entrySet()) {
      long seq = s.getKey();
      Entry en = s.getValue().get(0);
      String expected = seq == 1 ? ChainHash.GENESIS : hashAt(bySeq, replaced, seq - 1);
      if (expected == null || en.link().prev().equals(expected)) {
        continue;
      }
      Long follows = seqByHash.get(en.link().prev());
      String id = en.event().getIdElement().getIdPart();
      if (follows != null && follows != seq - 1) {
        findings.add(
            new ChainFinding(
                Kind.REORDERED,
                partition,
                seq,
                seq,
                id,
                "links to seq " + follows + " instead of seq " + (seq - 1)));
      } else {
        findings.add(
            new ChainFinding(
                Kind.BROKEN_LINK,
                partition,
                seq,
                seq,
                id,
                "previous hash does not match the hash of seq "
                    + (seq - 1)
                    + " (seq "
                    + (seq - 1)
                    + " altered or replaced?)"));
      }
    }
    TreeSet<Long> seen = new TreeSet<>();
    for (Checkpoint cp : checkpoints) {
      String stored = hashAt(bySeq, replaced, cp.seq());
      if (stored != null && !stored.equals(cp.hash()) && seen.add(cp.seq())) {
        findings.add(
            new ChainFinding(
                Kind.CHECKPOINT_MISMATCH,
                partition,
                cp.seq(),
                cp.seq(),
                null,
                "checkpoint of "
                    + cp.time()
                    + " signed hash "
                    + cp.hash()
                    + ", the stored event has "
                    + stored));
      }
    }
    return fetched;
  }

  private static @Nullable String hashAt(
      TreeMap<Long, List<Entry>> bySeq, Map<Long, String> replaced, long seq) {
    List<Entry> entries = bySeq.get(seq);
    if (entries != null) {
      return entries.get(0).link().hash();
    }
    return replaced.get(seq);
  }
}
