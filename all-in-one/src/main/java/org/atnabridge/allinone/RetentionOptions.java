package org.atnabridge.allinone;

import picocli.CommandLine.Option;

/** How long events are kept: {@code serve} and {@code indexer}, the store's writers. */
final class RetentionOptions {

  @Option(names = "--retention", defaultValue = "${env:ATNA_RETENTION:-off}",
      description = "Delete events recorded longer ago than this, e.g. 365d; events tagged legal-hold are kept "
          + "(env ATNA_RETENTION; default ${DEFAULT-VALUE}).")
  String retention;

  @Option(names = "--retention-check-interval", defaultValue = "${env:ATNA_RETENTION_CHECK_INTERVAL:-1h}",
      description = "How often retention runs, e.g. 1h, 30m (env ATNA_RETENTION_CHECK_INTERVAL; default ${DEFAULT-VALUE}).")
  String retentionCheckInterval;

  RetentionSettings retention() {
    return RetentionSettings.parse(retention, retentionCheckInterval);
  }
}
