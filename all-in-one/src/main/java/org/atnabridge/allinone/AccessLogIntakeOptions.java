package org.atnabridge.allinone;

import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** How access log lines are taken in, by syslog and HTTP: {@code serve} and {@code ingest}. */
final class AccessLogIntakeOptions {

  @Option(
      names = "--access-log-tags",
      split = ",",
      defaultValue = "${env:ATNA_ACCESS_LOG_TAGS:-nginx,httpd,apache2,envoy}",
      description =
          "Syslog APP-NAME (RFC 5424) or TAG (RFC 3164) values whose messages are HTTP access log "
              + "lines, routed to accesslog.raw instead of atna.raw; comma-separated "
              + "(env ATNA_ACCESS_LOG_TAGS; default ${DEFAULT-VALUE}).")
  List<String> tags;

  @Mixin AccessLogScrubOption secrets;

  PipelineConfig.AccessLogIntake intake() {
    return new PipelineConfig.AccessLogIntake(tags, secrets.scrub);
  }
}
