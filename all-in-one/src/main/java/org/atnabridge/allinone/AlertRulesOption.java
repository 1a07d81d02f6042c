package org.atnabridge.allinone;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** The alert rules file: {@code serve} and {@code streams}. */
final class AlertRulesOption {

  @Option(
      names = "--alert-rules",
      paramLabel = "FILE",
      defaultValue = "${env:ATNA_ALERT_RULES:-}",
      description =
          "YAML alert rules file (channels, rules, rule packs); validated at start-up (a bad file "
              + "stops it with FILE:LINE: reason) and reloaded when it changes; check it with "
              + "'atna-bridge rules check FILE' (env ATNA_ALERT_RULES).")
  @Nullable Path file;

  /** The file, or null: no alert rules. */
  @Nullable Path file() {
    return file == null || file.toString().isBlank() ? null : file;
  }
}
