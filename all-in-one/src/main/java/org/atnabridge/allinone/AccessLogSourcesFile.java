package org.atnabridge.allinone;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.atnabridge.accesslog.AccessLogSources;
import org.jspecify.annotations.Nullable;

/**
 * Reads {@code --access-log-sources FILE}: a file that cannot be read or holds a bad setting is an
 * {@link IllegalArgumentException} (exit 2) naming the option, the file and the setting's YAML path
 * ({@code --access-log-sources s.yaml: sources[1].format: unknown access log format ...}).
 */
final class AccessLogSourcesFile {

  private AccessLogSourcesFile() {}

  /** The sources declared in {@code file}, or null without a file (the default source only). */
  static @Nullable AccessLogSources load(@Nullable Path file) {
    if (file == null) {
      return null;
    }
    String yaml;
    try {
      yaml = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("--access-log-sources " + file + ": cannot be read", e);
    }
    try {
      return AccessLogSources.parse(yaml);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--access-log-sources " + file + ": " + e.getMessage(), e);
    }
  }
}
