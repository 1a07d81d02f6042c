package org.atnabridge.allinone.health;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The readiness of one process: all its {@link HealthCheck}s hold. Each change of a check is logged
 * once, with its reason when it fails, so a probe polled every second neither floods the log nor
 * hides why an instance left the load balancer.
 */
public final class Readiness {

  private static final Logger LOG = LoggerFactory.getLogger(Readiness.class);

  private final List<HealthCheck> checks = new ArrayList<>();
  private final List<@Nullable Boolean> lastUp = new ArrayList<>();

  /** What a probe saw: overall, and UP/DOWN per check name in the order they were added. */
  public record Status(boolean ready, Map<String, Boolean> checks) {}

  public synchronized Readiness add(List<HealthCheck> more) {
    more.forEach(this::add);
    return this;
  }

  public synchronized Readiness add(HealthCheck check) {
    checks.add(check);
    lastUp.add(null);
    return this;
  }

  /** Runs every check, logging those that changed since the last call. */
  public synchronized Status evaluate() {
    Map<String, Boolean> now = new LinkedHashMap<>();
    boolean ready = true;
    for (int i = 0; i < checks.size(); i++) {
      HealthCheck check = checks.get(i);
      @Nullable String problem = check.problem();
      boolean up = problem == null;
      ready &= up;
      now.merge(check.name(), up, Boolean::logicalAnd);
      Boolean before = lastUp.set(i, up);
      if (before == null ? !up : before != up) {
        if (up) {
          LOG.info("ready check {} passes again", check.name());
        } else {
          LOG.warn("ready check {} fails: {}", check.name(), problem);
        }
      }
    }
    return new Status(ready, now);
  }
}
