package org.atnabridge.allinone;

import picocli.CommandLine.Option;

/** How long events are kept: {@code serve} and {@code indexer}, the store's writers. */
final class RetentionOptions {

  @Option(
      names = "--retention",
      defaultValue = "${env:ATNA_RETENTION:-off}",
      converter = DurationConverter.OrOff.class,
      description =
          "Delete events recorded longer ago than this, e.g. 365d; events tagged legal-hold are kept "
              + "(env ATNA_RETENTION; default ${DEFAULT-VALUE}).")
  java.time.Duration retention;

  @Option(
      names = "--retention-check-interval",
      defaultValue = "${env:ATNA_RETENTION_CHECK_INTERVAL:-1h}",
      converter = DurationConverter.class,
      description =
          "How often retention runs, e.g. 1h, 30m (env ATNA_RETENTION_CHECK_INTERVAL; default ${DEFAULT-VALUE}).")
  java.time.Duration retentionCheckInterval;

  RetentionSettings retention() {
    return new RetentionSettings(retention, retentionCheckInterval);
  }
}
