package org.atnabridge.streams.chain;

import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.jspecify.annotations.Nullable;

/**
 * The first receipt is the record: an event id chained before is let through again only when it
 * comes from the same input record (same topic, partition and offset of {@code atna.raw} or {@code
 * audit.posted}), which happens only when an operator re-reads that input (offsets reset after a
 * converter fix): a re-conversion, which replaces the event and is chained with {@code
 * replaces-seq}. The same id from any other input record is a later receipt of the same audit
 * message from the same sender (a retry, a replay over another transport, a duplicate POST): it is
 * dropped before anything is written, and counted.
 *
 * <p>Values of {@value ChainProcessor#IDS_STORE}: {@code seq|hash|source} with source {@code
 * topic/partition/offset}; values from before ({@code seq|hash}) read with no source, and an id
 * that matches one of them is a later receipt too. The store keeps its name, changelog and
 * retention, so the state carries over an upgrade without migration (sources {@code audit.events/…}
 * of events posted before {@code audit.posted} existed stay as they are: that input is never read
 * again).
 */
public final class FirstReceipts {

  /**
   * One chained id: its sequence number, hash and the input record it was made from (null before
   * sources were kept).
   */
  public record Entry(long seq, String hash, @Nullable String source) {

    public String encode() {
      return seq + "|" + hash + (source == null ? "" : "|" + source);
    }

    public static Entry decode(String value) {
      int bar = value.indexOf('|');
      int second = value.indexOf('|', bar + 1);
      return new Entry(
          Long.parseLong(value.substring(0, bar)),
          second < 0 ? value.substring(bar + 1) : value.substring(bar + 1, second),
          second < 0 ? null : value.substring(second + 1));
    }
  }

  private FirstReceipts() {}

  /**
   * {@code topic/partition/offset} of the input record being processed (topic names cannot hold
   * {@code /} or {@code |}).
   */
  public static @Nullable String source(@Nullable RecordMetadata m) {
    return m == null ? null : m.topic() + "/" + m.partition() + "/" + m.offset();
  }

  /**
   * Whether an event with this id, made from input record {@code source}, may be written and
   * chained.
   */
  public static boolean admit(WindowStore<String, String> ids, String id, @Nullable String source) {
    Entry earlier = latest(ids, id);
    return earlier == null || (source != null && source.equals(earlier.source()));
  }

  /** The last link of {@code id} still within the retention, or null. */
  static @Nullable Entry latest(WindowStore<String, String> store, String id) {
    Entry found = null;
    try (WindowStoreIterator<String> it = store.fetch(id, 0L, Long.MAX_VALUE)) {
      while (it.hasNext()) {
        Entry e = Entry.decode(it.next().value);
        if (found == null || e.seq() > found.seq()) {
          found = e;
        }
      }
    }
    return found;
  }
}
