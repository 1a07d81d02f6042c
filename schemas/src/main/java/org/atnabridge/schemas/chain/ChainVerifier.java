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
      Iterable<AuditEvent> events,
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
   * @param events stored events (any order): all of them, or those received in the window; read
   *     once, in one pass, and not kept (an iterable that reads the store page by page holds one
   *     page at a time)
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
      Iterable<AuditEvent> events,
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
    Map<Integer, TreeMap<Long, List<ChainEntry>>> chains = new TreeMap<>();
    long checked = 0;
    for (AuditEvent e : events) {
      checked++;
      ChainEntry entry = ChainEntry.of(e, findings);
      if (entry != null) {
        chains
            .computeIfAbsent(entry.link().partition(), p -> new TreeMap<>())
            .computeIfAbsent(entry.link().seq(), s -> new ArrayList<>())
            .add(entry);
      }
    }
    Map<Integer, List<Checkpoint>> validCheckpoints =
        CheckpointChecks.valid(checkpoints, trustedKey, chains, findings);
    for (Map.Entry<Integer, TreeMap<Long, List<ChainEntry>>> chain : chains.entrySet()) {
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

  /** Returns how many extra events it fetched. */
  private static long verifyChain(
      int partition,
      TreeMap<Long, List<ChainEntry>> bySeq,
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
    for (List<ChainEntry> entries : bySeq.values()) {
      for (ChainEntry en : entries) {
        if (en.link().replacesSeq() != null) {
          replaced.put(en.link().replacesSeq(), en.link().replacesHash());
        }
      }
    }
    if (window) {
      fetched += WindowPositions.complete(partition, bySeq, replaced, lookup, positions, findings);
    }
    SequenceChecks.duplicates(partition, bySeq, findings);
    long lo = window ? (bySeq.isEmpty() ? 1 : bySeq.firstKey()) : 1;
    long hi = bySeq.isEmpty() ? 0 : bySeq.lastKey();
    if (!window) {
      for (Checkpoint cp : checkpoints) {
        hi = Math.max(hi, cp.seq());
      }
    }
    SequenceChecks.gaps(partition, bySeq, replaced, lo, hi, indexed, findings);
    SequenceChecks.links(partition, bySeq, replaced, findings);
    CheckpointChecks.mismatches(partition, bySeq, replaced, checkpoints, findings);
    return fetched;
  }
}
