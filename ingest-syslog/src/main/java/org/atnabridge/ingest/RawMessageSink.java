package org.atnabridge.ingest;

import java.util.concurrent.CompletionStage;

/**
 * Where listeners hand raw frames. Implementations are thread-safe: every event-loop thread of
 * every listener may call {@link #publish} concurrently.
 */
public interface RawMessageSink extends AutoCloseable {

  /**
   * Starts storing the message without blocking the caller. The stage completes once the message
   * is durably stored, or exceptionally if it could not be.
   */
  CompletionStage<Void> publish(RawMessage message);

  /**
   * True while the sink holds as many unfinished publishes as it wants to; listeners then stop
   * reading from their sockets until it turns false again (back-pressure reaches the sender
   * through the TCP window). A soft limit: {@link #publish} still accepts messages meanwhile.
   */
  boolean isSaturated();

  /** Waits (bounded) for pending publishes, then releases resources. Idempotent. */
  @Override
  void close();
}
