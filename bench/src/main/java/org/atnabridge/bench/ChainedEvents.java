package org.atnabridge.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.function.IntFunction;
import org.atnabridge.schemas.chain.ChainHash;
import org.atnabridge.schemas.chain.ChainLink;
import org.hl7.fhir.r5.model.AuditEvent;

/**
 * {@link StoreLoadBench#event}s as a repository would have stored them: received in order over the
 * year before {@code end} (receipt = {@code recorded}, evenly spaced), and hash-chained in that
 * order round-robin over {@code chains} chains, so that {@code $verify} of a window finds intact,
 * contiguous chain positions, as on a real store. The chains are numbered from {@link
 * #FIRST_PARTITION}, clear of the partitions the all-in-one chains its own new events in, so the
 * two never share sequence numbers. Call {@link #apply} once per index, in order.
 */
final class ChainedEvents implements IntFunction<AuditEvent> {

  /** Chain number of the first synthetic chain. */
  static final int FIRST_PARTITION = 100;

  private final int n;
  private final Instant start;
  private final long spanMillis;
  private final long[] seq;
  private final String[] prev;
  private final String[] prevId;

  ChainedEvents(int n, int chains, Instant end) {
    this.n = n;
    this.spanMillis = Duration.ofDays(365).toMillis();
    this.start = end.minusMillis(spanMillis);
    this.seq = new long[chains];
    this.prev = new String[chains];
    this.prevId = new String[chains];
    java.util.Arrays.fill(prev, ChainHash.GENESIS);
  }

  @Override
  public AuditEvent apply(int i) {
    AuditEvent e = StoreLoadBench.event(i);
    e.setRecorded(Date.from(start.plusMillis(spanMillis * i / n)));
    int c = i % seq.length;
    long s = ++seq[c];
    int partition = FIRST_PARTITION + c;
    String hash = ChainHash.compute(e, partition, s, prev[c], prevId[c], null, null);
    new ChainLink(partition, s, prev[c], hash, prevId[c], null, null).applyTo(e);
    prev[c] = hash;
    prevId[c] = e.getIdElement().getIdPart();
    return e;
  }
}
