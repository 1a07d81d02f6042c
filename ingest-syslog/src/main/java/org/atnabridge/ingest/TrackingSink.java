package org.atnabridge.ingest;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Decorates a sink shared by several listeners so that one listener can wait for the publishes it
 * started itself ({@link #awaitPublished}) without closing the sink, which belongs to the caller.
 * Counts instead of tracking futures: one atomic per message on the hot path.
 */
final class TrackingSink implements RawMessageSink {

  private final RawMessageSink delegate;
  private final AtomicLong pending = new AtomicLong();

  TrackingSink(RawMessageSink delegate) {
    this.delegate = delegate;
  }

  @Override
  public CompletionStage<Void> publish(RawMessage message) {
    return track(() -> delegate.publish(message));
  }

  @Override
  public CompletionStage<Void> deadLetter(
      RawMessage message, String reason, String detail, long originalSize) {
    return track(() -> delegate.deadLetter(message, reason, detail, originalSize));
  }

  private CompletionStage<Void> track(java.util.function.Supplier<CompletionStage<Void>> call) {
    pending.incrementAndGet();
    CompletionStage<Void> done;
    try {
      done = call.get();
    } catch (RuntimeException e) {
      pending.decrementAndGet();
      throw e;
    }
    done.whenComplete((ok, error) -> pending.decrementAndGet());
    return done;
  }

  @Override
  public boolean isSaturated() {
    return delegate.isSaturated();
  }

  /** Waits until every publish started so far has completed (either way); false on timeout. */
  boolean awaitPublished(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (pending.get() > 0) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  long pending() {
    return pending.get();
  }

  /** Does not close the delegate. */
  @Override
  public void close() {}
}
