package org.atnabridge.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.atnabridge.schemas.Fhir;
import org.hl7.fhir.r5.model.AuditEvent;

/**
 * The benchmark's synthetic events ({@link StoreLoadBench#event}) as the FHIR JSON audit-streams
 * writes to Kafka, generated once outside the timed part: a file holding the count, then each event
 * as a length-prefixed UTF-8 record. Reading it back costs a few µs per event, about what a Kafka
 * consumer pays, so the timed part measures the store and not HAPI building test data.
 *
 * @param generateSeconds how long generating took (0 when an existing file was reused)
 */
record EventsFile(Path path, int count, double generateSeconds, boolean keep) {

  /**
   * The file named by {@code -Dbench.eventsFile} if it holds at least {@code n} events, else a
   * newly generated one (kept there when the property is set, else a temporary file).
   */
  static EventsFile prepare(int n) throws IOException {
    return prepare(n, StoreLoadBench::event);
  }

  /**
   * As {@link #prepare(int)} with events from {@code events}, called once per index in order (so it
   * may keep state, e.g. a hash chain).
   */
  static EventsFile prepare(int n, IntFunction<AuditEvent> events) throws IOException {
    String kept = System.getProperty("bench.eventsFile");
    Path path = kept == null ? Files.createTempFile("bench-events-", ".bin") : Path.of(kept);
    if (kept != null && Files.isRegularFile(path) && Files.size(path) > 4) {
      try (DataInputStream in = new DataInputStream(Files.newInputStream(path))) {
        int count = in.readInt();
        if (count >= n) {
          return new EventsFile(path, count, 0, true);
        }
      }
    }
    long t0 = System.nanoTime();
    try (DataOutputStream out =
        new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(path), 1 << 16))) {
      out.writeInt(n);
      for (int i = 0; i < n; i++) {
        byte[] json = Fhir.toJsonBytes(events.apply(i));
        out.writeInt(json.length);
        out.write(json);
      }
    }
    return new EventsFile(path, n, (System.nanoTime() - t0) / 1e9, kept != null);
  }

  void deleteUnlessKept() throws IOException {
    if (!keep) {
      Files.deleteIfExists(path);
    }
  }

  /** Reads the first {@code n} events; thread-safe, batch by batch. */
  Reader reader(int n) throws IOException {
    if (n > count) {
      throw new IllegalArgumentException(path + " holds " + count + " events, not " + n);
    }
    return new Reader(
        new DataInputStream(new BufferedInputStream(Files.newInputStream(path), 1 << 16)), n);
  }

  static final class Reader implements AutoCloseable {
    private final DataInputStream in;
    private int left;

    private Reader(DataInputStream in, int n) throws IOException {
      this.in = in;
      in.readInt();
      this.left = n;
    }

    /** Up to {@code max} events; empty at the end. */
    synchronized List<byte[]> next(int max) throws IOException {
      int k = Math.min(max, left);
      List<byte[]> batch = new ArrayList<>(k);
      for (int i = 0; i < k; i++) {
        byte[] json = new byte[in.readInt()];
        try {
          in.readFully(json);
        } catch (EOFException e) {
          throw new IOException("events file truncated", e);
        }
        batch.add(json);
      }
      left -= k;
      return batch;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
