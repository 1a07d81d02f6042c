package org.atnabridge.allinone;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** The access log sources file: {@code serve} and {@code streams}. */
final class AccessLogSourcesOption {

  @Option(
      names = "--access-log-sources",
      defaultValue = "${env:ATNA_ACCESS_LOG_SOURCES:-}",
      description =
          "YAML file declaring the access log sources (name, format, observer, FHIR base paths, "
              + "lines to drop); without it every line is read as 'combined' and every path audited "
              + "(env ATNA_ACCESS_LOG_SOURCES).")
  @Nullable Path file;

  /** The file, or null for the default source only. */
  @Nullable Path file() {
    return file == null || file.toString().isBlank() ? null : file;
  }
}
