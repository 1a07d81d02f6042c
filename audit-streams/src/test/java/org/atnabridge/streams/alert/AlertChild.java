package org.atnabridge.streams.alert;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.atnabridge.streams.AlertStreams;
import org.atnabridge.streams.StreamsSettings;
import org.atnabridge.streams.alert.rules.AlertRule;
import org.atnabridge.streams.alert.rules.AlertRules;
import org.atnabridge.streams.alert.rules.AlertSeverity;
import org.atnabridge.streams.alert.rules.EventCondition;
import org.atnabridge.streams.alert.rules.KindSpec;

/**
 * Runs the alert application ({@link AlertStreams}) in its own JVM until killed, with one threshold
 * rule: 5 failed events per user within 5 minutes, among the events whose id starts with the run
 * id. Prints {@value #READY} once RUNNING. Arguments: bootstrap servers, state dir, run id.
 */
public final class AlertChild {

  public static final String READY = "ALERT-STREAMS-RUNNING";

  private AlertChild() {}

  /** The rule: id {@code RUN-logins}. */
  static AlertRules rules(String run) {
    EventCondition failed = TestRules.where("outcome:not=0");
    return TestRules.of(
        new AlertRule(
            run + "-logins",
            "Repeated failures",
            null,
            AlertSeverity.MEDIUM,
            true,
            TestRules.condition(
                "outcome:not=0, run " + run, e -> e.getIdPart().startsWith(run) && failed.test(e)),
            TestRules.AGENT_IDENTIFIER,
            null,
            List.of(),
            new KindSpec.Threshold(5, Duration.ofMinutes(5))));
  }

  static StreamsSettings settings(String bootstrap, Path state) {
    return new StreamsSettings(
        bootstrap,
        state,
        1,
        1,
        100,
        Map.of("consumer.session.timeout.ms", "6000", "consumer.heartbeat.interval.ms", "1000"));
  }

  public static void main(String[] args) throws InterruptedException {
    AlertRules rules = rules(args[2]);
    AlertStreams streams =
        AlertStreams.start(
            settings(args[0], Path.of(args[1])), () -> rules, new SimpleMeterRegistry());
    Runtime.getRuntime().addShutdownHook(new Thread(streams::close));
    System.out.println(READY);
    System.out.flush();
    new CountDownLatch(1).await();
  }
}
