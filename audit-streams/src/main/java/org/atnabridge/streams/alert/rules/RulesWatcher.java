package org.atnabridge.streams.alert.rules;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules of a file that may change while the product runs: loaded at start (a bad file is a
 * {@link RulesFileException}, the caller stops with exit 2), then the file is read every {@code
 * interval} and a new valid version replaces the rules without a restart. A bad new version keeps
 * the rules in use, is logged once (file, line, reason; never a secret) and counted in {@code
 * atna.alerts.rules.reload{result=failed}}; a good one counts {@code result=ok}.
 *
 * <p>A version is the file's content (SHA-256): an editor that keeps the size and the modification
 * time still makes a new version, and a save that changes nothing reloads nothing.
 */
public final class RulesWatcher implements Supplier<AlertRules>, AutoCloseable {

  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(2);
  public static final String RELOAD_METRIC = "atna.alerts.rules.reload";

  private static final Logger LOG = LoggerFactory.getLogger(RulesWatcher.class);

  private final Path file;
  private final Counter ok;
  private final Counter failed;
  private final ScheduledExecutorService poller;
  private volatile AlertRules rules;
  private byte[] current;
  private byte @Nullable [] lastBad;

  private RulesWatcher(Path file, MeterRegistry registry, AlertRules rules, byte[] hash) {
    this.file = file;
    this.rules = rules;
    this.current = hash;
    this.ok = Counter.builder(RELOAD_METRIC).tag("result", "ok").register(registry);
    this.failed = Counter.builder(RELOAD_METRIC).tag("result", "failed").register(registry);
    this.poller =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "alert-rules-watcher");
              t.setDaemon(true);
              return t;
            });
  }

  /** {@link #start(Path, MeterRegistry, Duration)} every {@link #DEFAULT_INTERVAL}. */
  public static RulesWatcher start(Path file, MeterRegistry registry) {
    return start(file, registry, DEFAULT_INTERVAL);
  }

  /**
   * Loads {@code file} and watches it.
   *
   * @throws RulesFileException when the file is bad now
   */
  public static RulesWatcher start(Path file, MeterRegistry registry, Duration interval) {
    String text = RulesFile.text(file);
    AlertRules rules = RulesFile.parse(file.toString(), text);
    RulesWatcher w = new RulesWatcher(file, registry, rules, sha256(text));
    LOG.info("alert rules {}: {}", file, summary(rules));
    long ms = Math.max(1, interval.toMillis());
    var unused = w.poller.scheduleWithFixedDelay(w::poll, ms, ms, TimeUnit.MILLISECONDS);
    return w;
  }

  /** The rules in use: the last valid version of the file. */
  @Override
  public AlertRules get() {
    return rules;
  }

  public Path file() {
    return file;
  }

  /** Reads the file once; a new version is loaded or refused. Runs on the poller's thread. */
  void poll() {
    try {
      String text;
      byte[] hash;
      try {
        text = RulesFile.text(file);
        hash = sha256(text);
      } catch (RulesFileException e) {
        // gone for a moment during an editor's atomic save, or unreadable: a bad version of its own
        refuse(sha256("\0unreadable\0" + e.reason()), e);
        return;
      }
      if (Arrays.equals(hash, current) || Arrays.equals(hash, lastBad)) {
        return;
      }
      try {
        AlertRules next = RulesFile.parse(file.toString(), text);
        rules = next;
        current = hash;
        lastBad = null;
        ok.increment();
        LOG.info("alert rules {} reloaded: {}", file, summary(next));
      } catch (RulesFileException e) {
        refuse(hash, e);
      }
    } catch (RuntimeException e) {
      LOG.error("alert rules {}: reload failed, the rules in use stay", file, e);
    }
  }

  private void refuse(byte[] hash, RulesFileException e) {
    if (Arrays.equals(hash, lastBad)) {
      return;
    }
    lastBad = hash;
    failed.increment();
    LOG.error("alert rules not reloaded, the rules in use stay: {}", e.getMessage());
  }

  private static String summary(AlertRules rules) {
    return rules.rules().size()
        + " rules ("
        + rules.enabled().size()
        + " enabled), "
        + rules.channels().size()
        + " channels";
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    poller.shutdownNow();
    try {
      poller.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
