package org.atnabridge.allinone;

import java.util.List;
import picocli.CommandLine.Option;

/**
 * Which query parameters of access log lines are secrets: {@code serve}, {@code ingest} (through
 * {@link AccessLogIntakeOptions}) and {@code api}, whose HTTP intake takes lines without syslog
 * tags.
 */
final class AccessLogScrubOption {

  @Option(
      names = "--access-log-scrub",
      split = ",",
      defaultValue = "${env:ATNA_ACCESS_LOG_SCRUB:-access_token,code,password,api_key}",
      description =
          "Query parameters whose values are secrets, masked in access log lines before they are "
              + "stored anywhere; comma-separated (env ATNA_ACCESS_LOG_SCRUB; default ${DEFAULT-VALUE}).")
  List<String> scrub;

  /** The HTTP-only intake's settings: these secrets, the default syslog tags (unused there). */
  PipelineConfig.AccessLogIntake intake() {
    return new PipelineConfig.AccessLogIntake(
        PipelineConfig.AccessLogIntake.defaults().tags(), scrub);
  }
}
