package org.atnabridge.ingest.netty;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.atnabridge.ingest.RawMessage;
import org.atnabridge.ingest.RawMessageSink;

/** A sink that records what it is given; saturation and failure are switched by the test. */
final class RecordingSink implements RawMessageSink {

  final List<RawMessage> messages = new CopyOnWriteArrayList<>();
  final List<String> deadLetterReasons = new CopyOnWriteArrayList<>();
  final List<RawMessage> deadLetters = new CopyOnWriteArrayList<>();
  volatile boolean saturated;
  volatile boolean failing;
  volatile boolean closed;

  @Override
  public CompletionStage<Void> publish(RawMessage message) {
    messages.add(message);
    return failing
        ? CompletableFuture.failedFuture(new IllegalStateException("broker down"))
        : CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<Void> deadLetter(
      RawMessage message, String reason, String detail, long originalSize) {
    deadLetters.add(message);
    deadLetterReasons.add(reason);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public boolean isSaturated() {
    return saturated;
  }

  @Override
  public void close() {
    closed = true;
  }
}
