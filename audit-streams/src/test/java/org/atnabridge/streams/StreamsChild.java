package org.atnabridge.streams;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.atnabridge.atna.AtnaConverter;
import org.atnabridge.streams.enrich.EnrichmentConfig;

/**
 * Runs {@link AuditStreams} in its own JVM, as {@code Pipeline} does, until killed; prints {@value
 * #READY} once both applications are RUNNING. Arguments: bootstrap servers, state dir, key dir.
 */
public final class StreamsChild {

  public static final String READY = "AUDIT-STREAMS-RUNNING";

  private StreamsChild() {}

  public static void main(String[] args) throws InterruptedException {
    AuditStreams streams =
        AuditStreams.start(
            AuditStreamsIT.settings(args[0], Path.of(args[1])),
            new AtnaConverter(),
            EnrichmentConfig.defaults().withCheckpoints(100, Duration.ofSeconds(1)),
            Path.of(args[2]));
    Runtime.getRuntime().addShutdownHook(new Thread(streams::close));
    System.out.println(READY);
    System.out.flush();
    new CountDownLatch(1).await();
  }
}
