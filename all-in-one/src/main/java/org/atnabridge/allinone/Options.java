package org.atnabridge.allinone;

import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** How option text becomes values, the same way in every mixin. */
final class Options {

  private Options() {}

  /** Comma-separated, blanks around commas dropped; empty text = empty list. */
  static List<String> list(String commaSeparated) {
    return commaSeparated == null || commaSeparated.isBlank()
        ? List.of()
        : List.of(commaSeparated.trim().split("\\s*,\\s*"));
  }

  /** Empty text = no file. */
  static @Nullable Path path(String value) {
    return value == null || value.isBlank() ? null : Path.of(value.trim());
  }
}
