package org.atnabridge.schemas.chain;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.atnabridge.schemas.chain.ChainFinding.Kind;
import org.jspecify.annotations.Nullable;

/**
 * The checks along one chain's sequence numbers: {@code DUPLICATE_SEQ}, {@code GAP}, and each
 * {@code prev} against its predecessor's hash ({@code REORDERED}, {@code BROKEN_LINK}).
 */
final class SequenceChecks {

  private SequenceChecks() {}

  static void duplicates(
      int partition, TreeMap<Long, List<ChainEntry>> bySeq, List<ChainFinding> findings) {
    for (Map.Entry<Long, List<ChainEntry>> s : bySeq.entrySet()) {
      if (s.getValue().stream().map(en -> en.id()).distinct().count() > 1) {
        findings.add(
            new ChainFinding(
                Kind.DUPLICATE_SEQ,
                partition,
                s.getKey(),
                s.getKey(),
                null,
                s.getValue().size()
                    + " stored events claim this sequence number: "
                    + s.getValue().stream().map(en -> en.id()).toList()));
      }
    }
  }

  /**
   * Each run of numbers in {@code [lo, hi]} up to {@code indexed} with no stored event is a GAP.
   */
  static void gaps(
      int partition,
      TreeMap<Long, List<ChainEntry>> bySeq,
      Map<Long, String> replaced,
      long lo,
      long hi,
      long indexed,
      List<ChainFinding> findings) {
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
  }

  static void links(
      int partition,
      TreeMap<Long, List<ChainEntry>> bySeq,
      Map<Long, String> replaced,
      List<ChainFinding> findings) {
    Map<String, Long> seqByHash = new HashMap<>();
    bySeq.forEach(
        (seq, entries) -> entries.forEach(en -> seqByHash.putIfAbsent(en.link().hash(), seq)));
    replaced.forEach((seq, hash) -> seqByHash.putIfAbsent(hash, seq));
    for (Map.Entry<Long, List<ChainEntry>> s : bySeq.entrySet()) {
      long seq = s.getKey();
      ChainEntry en = s.getValue().get(0);
      String expected = seq == 1 ? ChainHash.GENESIS : hashAt(bySeq, replaced, seq - 1);
      if (expected == null || en.link().prev().equals(expected)) {
        continue;
      }
      Long follows = seqByHash.get(en.link().prev());
      String id = en.id();
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
  }

  /** The stored hash at {@code seq}, or the one a later {@code replaces-seq} names. */
  static @Nullable String hashAt(
      TreeMap<Long, List<ChainEntry>> bySeq, Map<Long, String> replaced, long seq) {
    List<ChainEntry> entries = bySeq.get(seq);
    if (entries != null) {
      return entries.get(0).link().hash();
    }
    return replaced.get(seq);
  }
}
