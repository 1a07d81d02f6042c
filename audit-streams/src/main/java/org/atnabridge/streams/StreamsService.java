package org.atnabridge.streams;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one topology as one {@link KafkaStreams} instance: {@link #start(Duration)} returns once the
 * instance is RUNNING (never by sleeping), {@link #check()} reports its state, {@link #close()}
 * stops it, committing what it has processed.
 */
public final class StreamsService implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(StreamsService.class);

  private final String applicationId;
  private final Topology topology;
  private final StreamsSettings settings;
  private final @Nullable MeterRegistry registry;
  private @Nullable KafkaStreams streams;
  private @Nullable KafkaStreamsMetrics metrics;

  public StreamsService(String applicationId, Topology topology, StreamsSettings settings) {
    this(applicationId, topology, settings, null);
  }

  /**
   * @param registry where Kafka Streams' own metrics (lag, rates, commit latency) are bound, or
   *     null
   */
  public StreamsService(
      String applicationId,
      Topology topology,
      StreamsSettings settings,
      @Nullable MeterRegistry registry) {
    this.applicationId = applicationId;
    this.topology = topology;
    this.settings = settings;
    this.registry = registry;
  }

  public synchronized StreamsService start(Duration timeout) {
    if (streams != null) {
      return this;
    }
    KafkaStreams s = new KafkaStreams(topology, settings.toProperties(applicationId));
    CountDownLatch running = new CountDownLatch(1);
    s.setStateListener(
        (next, previous) -> {
          if (next == KafkaStreams.State.RUNNING) {
            running.countDown();
          }
          if (next == KafkaStreams.State.ERROR) {
            LOG.error("streams application {} entered ERROR state", applicationId);
          }
        });
    // input never reaches here (processors dead-letter it); what does is an infrastructure fault:
    // replace the thread so the partition is retried from its last commit
    s.setUncaughtExceptionHandler(
        e -> {
          LOG.error(
              "streams application {} thread failed, replacing it: {}",
              applicationId,
              e.toString());
          return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    streams = s;
    if (registry != null) {
      metrics = new KafkaStreamsMetrics(s, Tags.of("application", applicationId));
      metrics.bindTo(registry);
    }
    s.start();
    try {
      if (!running.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(
            "streams application "
                + applicationId
                + " not RUNNING after "
                + timeout
                + " (state "
                + s.state()
                + ")");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting " + applicationId, e);
    }
    LOG.info("streams application {} running", applicationId);
    return this;
  }

  public String applicationId() {
    return applicationId;
  }

  /** True while the instance is running or rebalancing. */
  public boolean check() {
    KafkaStreams s = streams;
    return s != null && s.state().isRunningOrRebalancing();
  }

  @Override
  public synchronized void close() {
    KafkaStreams s = streams;
    if (s == null) {
      return;
    }
    streams = null;
    if (metrics != null) {
      metrics.close();
      metrics = null;
    }
    // leave the group: a restarted or replacement instance gets the partitions at once instead of
    // waiting out the session timeout of this one
    s.close(
        CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
            .withTimeout(Duration.ofSeconds(30)));
    LOG.info("streams application {} stopped", applicationId);
  }
}
