package org.atnabridge.allinone;

import picocli.CommandLine.Option;

/**
 * The HTTP port of {@code /health/*} and {@code /metrics} for a service without the FHIR server.
 */
final class HealthPortOptions {

  @Option(
      names = "--health-host",
      defaultValue = "${env:ATNA_HEALTH_HOST:-127.0.0.1}",
      description =
          "Address of /health/live, /health/ready and /metrics; 0.0.0.0 lets an orchestrator on "
              + "another host probe (env ATNA_HEALTH_HOST; default ${DEFAULT-VALUE}).")
  String healthHost;

  @Option(
      names = "--health-port",
      defaultValue = "${env:ATNA_HEALTH_PORT:-8081}",
      description =
          "Port of /health/live, /health/ready and /metrics (env ATNA_HEALTH_PORT; default ${DEFAULT-VALUE}).")
  int healthPort;

  void validate() {
    if (healthPort < 0 || healthPort > 65535) {
      throw new IllegalArgumentException("--health-port must be 0..65535, got: " + healthPort);
    }
  }
}
