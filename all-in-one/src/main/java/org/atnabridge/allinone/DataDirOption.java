package org.atnabridge.allinone;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --data-dir}: the root of a process's local state. */
final class DataDirOption {

  @Option(
      names = "--data-dir",
      defaultValue = "${env:ATNA_DATA_DIR:-./data}",
      description = "Directory for all local state (env ATNA_DATA_DIR; default ${DEFAULT-VALUE}).")
  Path dataDir;
}
