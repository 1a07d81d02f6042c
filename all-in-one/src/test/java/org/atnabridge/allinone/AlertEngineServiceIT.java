package org.atnabridge.allinone;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.atnabridge.allinone.health.HealthCheck;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.schemas.Topics;
import org.atnabridge.streams.alert.rules.AlertRule;
import org.atnabridge.streams.alert.rules.AlertRules;
import org.atnabridge.streams.alert.rules.AlertSeverity;
import org.atnabridge.streams.alert.rules.EventCondition;
import org.atnabridge.streams.alert.rules.KindSpec;
import org.atnabridge.testing.KafkaBrokerExtension;
import org.hl7.fhir.r5.model.AuditEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streams service runs the alert engine beside the audit streams when it is given rules (health
 * check {@code alerts}), and not without; the Subscription matcher (check {@code
 * subscription-matching}) runs in both.
 */
@ExtendWith(KafkaBrokerExtension.class)
class AlertEngineServiceIT {

  @TempDir Path dataDir;

  @Test
  void withRules_theAlertEngineRunsAndIsChecked_withoutRulesItDoesNot_theMatcherAlways(
      EmbeddedKafkaBroker kafka) {
    kafka.createTopics(Topics.newTopics((short) 1));
    PipelineConfig config =
        PipelineConfig.builder(dataDir).kafkaBootstrap(kafka.bootstrapServers()).build();
    AlertRules rules = new AlertRules(List.of(), List.of(rule()), Duration.ofMinutes(10));
    try (AuditStreamsService s =
        AuditStreamsService.start(
            config, kafka.bootstrapServers(), new SimpleMeterRegistry(), () -> rules)) {
      assertThat(s.checks())
          .extracting(HealthCheck::name)
          .containsExactly("streams", "alerts", "subscription-matching");
      assertThat(s.checks()).allSatisfy(c -> assertThat(c.problem()).isNull());
    }
    try (AuditStreamsService s =
        AuditStreamsService.start(
            config, kafka.bootstrapServers(), new SimpleMeterRegistry(), () -> AlertRules.NONE)) {
      assertThat(s.checks())
          .extracting(HealthCheck::name)
          .containsExactly("streams", "subscription-matching");
    }
  }

  private static AlertRule rule() {
    EventCondition all =
        new EventCondition() {
          @Override
          public boolean test(AuditEvent e) {
            return true;
          }

          @Override
          public String text() {
            return "";
          }
        };
    return new AlertRule(
        "all",
        "Every event",
        null,
        AlertSeverity.LOW,
        true,
        all,
        null,
        null,
        List.of(),
        new KindSpec.Match());
  }
}
