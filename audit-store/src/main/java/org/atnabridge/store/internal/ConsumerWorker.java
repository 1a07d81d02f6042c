package org.atnabridge.store.internal;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.jspecify.annotations.Nullable;

/**
 * One Kafka consumer polled by its own daemon thread, the shape of Zipkin's {@code
 * KafkaCollectorWorker}: started once; closed by clearing {@link #running()}, waking the consumer
 * out of {@code poll} and joining the thread. The loop owns the consumer and closes it when it
 * ends. Shared by the indexer and the relabel job.
 */
public final class ConsumerWorker {

  private final CountDownLatch closing = new CountDownLatch(1);
  private volatile @Nullable KafkaConsumer<byte[], byte[]> consumer;
  private volatile @Nullable Thread thread;
  private volatile boolean running;

  /** Runs {@code loop} with {@code c} on a new daemon thread named {@code name}. */
  public synchronized void start(
      String name, KafkaConsumer<byte[], byte[]> c, Consumer<KafkaConsumer<byte[], byte[]>> loop) {
    if (thread != null) {
      throw new IllegalStateException("already started");
    }
    consumer = c;
    running = true;
    Thread t = new Thread(() -> loop.accept(c), name);
    t.setDaemon(true);
    thread = t;
    t.start();
  }

  public boolean started() {
    return thread != null;
  }

  /**
   * The loop's condition: false once {@link #close} was called (or {@link #stop} by the loop
   * itself).
   */
  public boolean running() {
    return running;
  }

  /** The loop gives up (interrupted): it ends without being closed. */
  public void stop() {
    running = false;
  }

  /** Started, not closed, but its thread has ended: the loop died. */
  public boolean died() {
    Thread t = thread;
    return t != null && !t.isAlive() && running;
  }

  /** Sleeps up to {@code d}; true when closing (or interrupted). */
  public boolean awaitClosing(Duration d) {
    try {
      return closing.await(d.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  /** Stops the loop and waits up to {@code join} for it to finish (flush, commit, close). */
  public void close(Duration join) {
    Thread t;
    synchronized (this) {
      t = thread;
      if (t == null || !running) {
        return;
      }
      running = false;
    }
    closing.countDown();
    KafkaConsumer<byte[], byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    try {
      t.join(join.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
