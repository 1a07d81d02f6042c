package org.atnabridge.allinone.health;

import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One condition of readiness, e.g. {@code kafka} or {@code streams}. The probe answers null when
 * the condition holds, else the reason it does not; the reason goes to the log only, never to an
 * HTTP client.
 *
 * @param name short and stable, shown in {@code /health/ready} with UP or DOWN
 * @param probe must not throw; called on every readiness request
 */
public record HealthCheck(String name, Supplier<@Nullable String> probe) {

  /** The reason it fails, or null when it holds; an exception from the probe is a failure too. */
  public @Nullable String problem() {
    try {
      return probe.get();
    } catch (RuntimeException e) {
      return e.toString();
    }
  }
}
