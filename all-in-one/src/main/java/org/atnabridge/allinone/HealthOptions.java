package org.atnabridge.allinone;

import picocli.CommandLine.Option;

/** What {@code /health/ready} demands of the indexer: {@code serve} and {@code indexer}. */
final class HealthOptions {

  @Option(
      names = "--ready-max-lag",
      defaultValue = "${env:ATNA_READY_MAX_LAG:-10000}",
      description =
          "Records the indexer may be behind on audit.enriched while /health/ready still answers ready "
              + "(env ATNA_READY_MAX_LAG; default ${DEFAULT-VALUE}).")
  long readyMaxLag;

  PipelineConfig.Builder applyTo(PipelineConfig.Builder config) {
    return config.readyMaxLag(readyMaxLag);
  }
}
