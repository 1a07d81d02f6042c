package org.atnabridge.ingest;

import java.util.concurrent.CompletionStage;

/**
 * Where listeners hand raw frames. Implementations are thread-safe: every event-loop thread of
 * every listener may call {@link #publish} concurrently.
 */
public interface RawMessageSink extends AutoCloseable {

  /**
   * Starts storing the message without blocking the caller. The stage completes once the message is
   * durably stored, or exceptionally if it could not be.
   */
  CompletionStage<Void> publish(RawMessage message);

  /**
   * Like {@link #publish}, but to the dead-letter topic: input the listener could not accept as it
   * is (e.g. the kept prefix of a frame over the size limit), with a stable reason code.
   *
   * @param reason e.g. {@link org.atnabridge.schemas.DeadLetterHeaders#FRAME_TOO_LARGE}
   * @param detail one human-readable line, no payload
   * @param originalSize octets the input had or announced, or -1 if unknown
   */
  CompletionStage<Void> deadLetter(
      RawMessage message, String reason, String detail, long originalSize);

  /**
   * True while the sink holds as many unfinished publishes as it wants to; listeners then stop
   * reading from their sockets until it turns false again (back-pressure reaches the sender through
   * the TCP window). A soft limit: {@link #publish} still accepts messages meanwhile.
   */
  boolean isSaturated();

  /** Waits (bounded) for pending publishes, then releases resources. Idempotent. */
  @Override
  void close();
}
