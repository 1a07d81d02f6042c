package org.atnabridge.schemas.chain;

import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.atnabridge.schemas.chain.ChainFinding.Kind;
import org.jspecify.annotations.Nullable;

/**
 * The checks of signed checkpoints: the signature with the trusted key ({@code BAD_SIGNATURE},
 * {@code OTHER_KEY}) and the stored hash at the checkpoint's number ({@code CHECKPOINT_MISMATCH}).
 */
final class CheckpointChecks {

  private CheckpointChecks() {}

  /**
   * The checkpoints that verify (all of them without a trusted key), by partition; each partition
   * with one gets a chain in {@code chains}.
   */
  static Map<Integer, List<Checkpoint>> valid(
      Collection<Checkpoint> checkpoints,
      @Nullable PublicKey trustedKey,
      Map<Integer, TreeMap<Long, List<ChainEntry>>> chains,
      List<ChainFinding> findings) {
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
    return validCheckpoints;
  }

  static void mismatches(
      int partition,
      TreeMap<Long, List<ChainEntry>> bySeq,
      Map<Long, String> replaced,
      List<Checkpoint> checkpoints,
      List<ChainFinding> findings) {
    TreeSet<Long> seen = new TreeSet<>();
    for (Checkpoint cp : checkpoints) {
      String stored = SequenceChecks.hashAt(bySeq, replaced, cp.seq());
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
  }
}
