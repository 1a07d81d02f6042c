package org.atnabridge.streams.chain;

import org.atnabridge.schemas.chain.ChainHash;
import org.jspecify.annotations.Nullable;

/**
 * The head of one partition's chain as kept in the state store {@code chain-head}: the last
 * sequence number, its hash and resource id, and the sequence number of the last checkpoint. Stored
 * as the text {@code seq|hash|id|checkpointedSeq}.
 */
public record ChainHead(long seq, String hash, @Nullable String id, long checkpointedSeq) {

  public static final ChainHead EMPTY = new ChainHead(0, ChainHash.GENESIS, null, 0);

  public String encode() {
    return seq + "|" + hash + "|" + (id == null ? "" : id) + "|" + checkpointedSeq;
  }

  public static ChainHead decode(@Nullable String text) {
    if (text == null) {
      return EMPTY;
    }
    String[] p = text.split("\\|", -1);
    return new ChainHead(
        Long.parseLong(p[0]), p[1], p[2].isEmpty() ? null : p[2], Long.parseLong(p[3]));
  }

  public ChainHead next(long seq, String hash, String id) {
    return new ChainHead(seq, hash, id, checkpointedSeq);
  }

  public ChainHead checkpointed() {
    return new ChainHead(seq, hash, id, seq);
  }
}
