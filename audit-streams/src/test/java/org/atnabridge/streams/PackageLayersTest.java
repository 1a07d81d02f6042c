package org.atnabridge.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The steps know nothing of the topology that wires them: no package of audit-streams' main code
 * uses this package (where {@link AuditTopology} wires and {@link AuditStreams} runs them), and the
 * packages use each other without a circle. Read from the sources (imports and qualified names in
 * code, not in comments).
 */
class PackageLayersTest {

  private static final Path MAIN = Path.of("src", "main", "java", "org", "atnabridge", "streams");
  private static final Pattern USE =
      Pattern.compile("org\\.atnabridge\\.streams((?:\\.[a-z]\\w*)*)\\.[A-Z]");

  @Test
  void stepPackages_doNotUseTheWiring_andNoPackageCircle() throws IOException {
    Map<String, Set<String>> uses = uses();
    assertThat(uses)
        .as("packages read")
        .containsKeys("", ".convert", ".enrich", ".chain", ".outcome");
    uses.forEach(
        (pkg, used) -> {
          if (!pkg.isEmpty()) {
            assertThat(used)
                .as("org.atnabridge.streams%s uses the wiring package", pkg)
                .doesNotContain("");
          }
        });
    for (String start : uses.keySet()) {
      assertThat(reachable(uses, start))
          .as("org.atnabridge.streams%s reaches itself again", start)
          .doesNotContain(start);
    }
  }

  private static Map<String, Set<String>> uses() throws IOException {
    Map<String, Set<String>> uses = new HashMap<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(MAIN)) {
      files = walk.filter(p -> p.toString().endsWith(".java")).toList();
    }
    for (Path file : files) {
      Path dir = MAIN.relativize(file).getParent();
      String pkg = dir == null ? "" : "." + dir.toString().replace(java.io.File.separatorChar, '.');
      Set<String> used = uses.computeIfAbsent(pkg, k -> new TreeSet<>());
      for (String line : Files.readAllLines(file)) {
        String code = line.strip();
        if (code.startsWith("*") || code.startsWith("/*") || code.startsWith("//")) {
          continue;
        }
        Matcher m = USE.matcher(code);
        while (m.find()) {
          if (!m.group(1).equals(pkg)) {
            used.add(m.group(1));
          }
        }
      }
    }
    return uses;
  }

  private static Set<String> reachable(Map<String, Set<String>> uses, String start) {
    Set<String> seen = new HashSet<>();
    List<String> todo = new ArrayList<>(uses.getOrDefault(start, Set.of()));
    while (!todo.isEmpty()) {
      String next = todo.removeLast();
      if (seen.add(next)) {
        todo.addAll(uses.getOrDefault(next, Set.of()));
      }
    }
    return seen;
  }
}
