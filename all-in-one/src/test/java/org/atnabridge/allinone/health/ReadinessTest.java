package org.atnabridge.allinone.health;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A failing check is logged once per change, with its reason; the HTTP answer names checks only.
 */
class ReadinessTest {

  @Test
  void eachChange_isLoggedOnce_withItsReason_andTheBodyCarriesNoReason() {
    Logger log = (Logger) LoggerFactory.getLogger(Readiness.class);
    ListAppender<ILoggingEvent> seen = new ListAppender<>();
    seen.start();
    log.addAppender(seen);
    try {
      AtomicReference<String> problem = new AtomicReference<>();
      Readiness readiness =
          new Readiness()
              .add(new HealthCheck("kafka", problem::get))
              .add(new HealthCheck("streams", () -> null));
      assertThat(HealthEndpoints.ready(readiness).status()).isEqualTo(200);
      problem.set("kafka not reachable: broker 10.0.0.7:9092 timed out");
      for (int i = 0; i < 5; i++) {
        var reply = HealthEndpoints.ready(readiness);
        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.body())
            .isEqualTo("{\"status\":\"DOWN\",\"checks\":{\"kafka\":\"DOWN\",\"streams\":\"UP\"}}");
      }
      problem.set(null);
      readiness.evaluate();
      readiness.evaluate();
      assertThat(seen.list)
          .extracting(ILoggingEvent::getFormattedMessage)
          .containsExactly(
              "ready check kafka fails: kafka not reachable: broker 10.0.0.7:9092 timed out",
              "ready check kafka passes again");
    } finally {
      log.detachAppender(seen);
    }
  }

  @Test
  void aThrowingProbe_isAFailure() {
    Readiness readiness =
        new Readiness()
            .add(
                new HealthCheck(
                    "index",
                    () -> {
                      throw new IllegalStateException("disk full");
                    }));
    assertThat(readiness.evaluate().ready()).isFalse();
  }
}
