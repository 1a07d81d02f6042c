package org.atnabridge.streams.alert.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Hot reload of a real file: a good version replaces the rules, a bad one keeps them. */
class RulesWatcherTest {

  private static final Duration NEVER = Duration.ofHours(1);

  @TempDir Path dir;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @Test
  void start_badFile_isAnErrorNamingFileAndLine() throws Exception {
    Path file = write("rules:\n  - {id: a, title: A, kind: match, severity: low}\n");
    assertThatThrownBy(() -> RulesWatcher.start(file, registry, NEVER))
        .isInstanceOf(RulesFileException.class)
        .hasMessage(file + ":2: rule a: a match rule needs 'where' or 'fhirpath'");
  }

  @Test
  void fileChangedOnDisk_newRulesWithoutRestart() throws Exception {
    Path file = write(rules("a"));
    try (RulesWatcher w = RulesWatcher.start(file, registry, Duration.ofMillis(50))) {
      assertThat(RulesFileTest.ids(w.get())).containsExactly("a");
      write(rules("a", "b"));
      await().atMost(Duration.ofSeconds(20)).until(() -> w.get().rule("b").isPresent());
      assertThat(count("ok")).isEqualTo(1);
      assertThat(count("failed")).isZero();
    }
  }

  @Test
  void badVersion_keepsTheRulesInUse_isCountedAndLoggedOnce_thenAGoodOneSwaps() throws Exception {
    Path file = write(rules("a"));
    ListAppender<ILoggingEvent> log = capture();
    try (RulesWatcher w = RulesWatcher.start(file, registry, NEVER)) {
      AlertRules before = w.get();
      write(
          """
          channels:
            - id: hook
              type: webhook
              url: https://siem.example.org/h
              secrets: ["whsec_c2VjcmV0LXNpZ25pbmcta2V5"]
          rules:
            - {id: a, title: A, kind: threshold, where: "action=E", count: 5, window: 5 min, severity: low, notify: [hook]}
          """);
      w.poll();
      w.poll();
      w.poll();
      assertThat(w.get()).isSameAs(before);
      assertThat(count("failed")).isEqualTo(1);
      assertThat(log.list)
          .filteredOn(e -> e.getFormattedMessage().contains("not reloaded"))
          .singleElement()
          .satisfies(
              e ->
                  assertThat(e.getFormattedMessage())
                      .contains(file + ":7: rule a.window: bad duration '5 min'")
                      .doesNotContain("c2VjcmV0LXNpZ25pbmcta2V5"));
      assertThat(log.list).noneMatch(e -> e.getFormattedMessage().contains("c2VjcmV0"));

      write(rules("a", "c"));
      w.poll();
      assertThat(RulesFileTest.ids(w.get())).containsExactly("a", "c");
      assertThat(count("ok")).isEqualTo(1);
    } finally {
      release(log);
    }
  }

  @Test
  void sameSizeAndModificationTime_stillANewVersion() throws Exception {
    Path file = write(rules("a1"));
    FileTime mtime = Files.getLastModifiedTime(file);
    try (RulesWatcher w = RulesWatcher.start(file, registry, NEVER)) {
      write(rules("a2"));
      Files.setLastModifiedTime(file, mtime);
      w.poll();
      assertThat(RulesFileTest.ids(w.get())).containsExactly("a2");
    }
  }

  @Test
  void fileRemoved_keepsTheRules_countsOnce() throws Exception {
    Path file = write(rules("a"));
    try (RulesWatcher w = RulesWatcher.start(file, registry, NEVER)) {
      Files.delete(file);
      w.poll();
      w.poll();
      assertThat(RulesFileTest.ids(w.get())).containsExactly("a");
      assertThat(count("failed")).isEqualTo(1);
      write(rules("a"));
      w.poll();
      assertThat(count("ok")).isZero(); // the same version as the one in use: nothing to reload
    }
  }

  private double count(String result) {
    return registry.get(RulesWatcher.RELOAD_METRIC).tag("result", result).counter().count();
  }

  private Path write(String yaml) throws Exception {
    return Files.writeString(dir.resolve("rules.yaml"), yaml);
  }

  private static String rules(String... ids) {
    StringBuilder b = new StringBuilder("rules:\n");
    for (String id : ids) {
      b.append("  - {id: ")
          .append(id)
          .append(", title: T, kind: match, where: \"action=E\", severity: low}\n");
    }
    return b.toString();
  }

  private static ListAppender<ILoggingEvent> capture() {
    ListAppender<ILoggingEvent> a = new ListAppender<>();
    a.start();
    ((Logger) LoggerFactory.getLogger(RulesWatcher.class)).addAppender(a);
    ((Logger) LoggerFactory.getLogger(RulesFile.class)).addAppender(a);
    return a;
  }

  private static void release(ListAppender<ILoggingEvent> a) {
    ((Logger) LoggerFactory.getLogger(RulesWatcher.class)).detachAppender(a);
    ((Logger) LoggerFactory.getLogger(RulesFile.class)).detachAppender(a);
  }
}
