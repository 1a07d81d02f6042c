package org.atnabridge.allinone.health;

import java.util.stream.Collectors;
import org.atnabridge.search.SearchServer.TextReply;

/**
 * The bodies of {@code /health/live} and {@code /health/ready}: a status and the names of the
 * checks, never a version, host, address or stack trace (those are for the log).
 */
public final class HealthEndpoints {

  public static final String LIVE = "/health/live";
  public static final String READY = "/health/ready";
  public static final String METRICS = "/metrics";
  public static final String JSON = "application/json";
  public static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";

  private HealthEndpoints() {}

  /** Live while the process can answer at all: an orchestrator restarts it otherwise. */
  public static TextReply live() {
    return new TextReply(200, "{\"status\":\"UP\"}");
  }

  /** 200 when every check holds, else 503; each check by name, UP or DOWN. */
  public static TextReply ready(Readiness readiness) {
    Readiness.Status status = readiness.evaluate();
    String checks =
        status.checks().entrySet().stream()
            .map(e -> "\"" + e.getKey() + "\":\"" + (e.getValue() ? "UP" : "DOWN") + "\"")
            .collect(Collectors.joining(","));
    return new TextReply(
        status.ready() ? 200 : 503,
        "{\"status\":\"" + (status.ready() ? "UP" : "DOWN") + "\",\"checks\":{" + checks + "}}");
  }
}
