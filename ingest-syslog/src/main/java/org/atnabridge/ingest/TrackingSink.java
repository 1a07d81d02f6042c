package org.atnabridge.ingest;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Decorates a sink shared by several listeners so that one listener can wait for the publishes
 * it started itself ({@link #awaitPublished}) without closing the sink, which belongs to the caller.
 */
final class TrackingSink implements RawMessageSink {

  private final RawMessageSink delegate;
  private final Set<CompletableFuture<Void>> pending = ConcurrentHashMap.newKeySet();

  TrackingSink(RawMessageSink delegate) {
    this.delegate = delegate;
  }

  @Override
  public CompletionStage<Void> publish(RawMessage message) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    // added before the completion hook, which removes it even when the publish already completed
    pending.add(done);
    done.whenComplete((ok, error) -> pending.remove(done));
    try {
      delegate.publish(message).whenComplete((ok, error) -> {
        if (error == null) {
          done.complete(null);
        } else {
          done.completeExceptionally(error);
        }
      });
    } catch (RuntimeException e) {
      done.completeExceptionally(e);
    }
    return done;
  }

  @Override
  public boolean isSaturated() {
    return delegate.isSaturated();
  }

  /** Waits until every publish started so far has completed (either way); false on timeout. */
  boolean awaitPublished(Duration timeout) {
    CompletableFuture<?>[] all = pending.toArray(CompletableFuture<?>[]::new);
    try {
      CompletableFuture.allOf(all).handle((ok, error) -> null).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException e) {
      return true;
    }
  }

  int pending() {
    return pending.size();
  }

  /** Does not close the delegate. */
  @Override
  public void close() {}
}
