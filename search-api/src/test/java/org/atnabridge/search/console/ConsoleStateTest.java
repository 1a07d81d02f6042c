package org.atnabridge.search.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console's memory in the data dir: used links and signed-out sessions. */
class ConsoleStateTest {

  @TempDir Path dir;
  private final Instant now = Instant.parse("2026-12-07T06:00:00Z");
  private final Clock clock = Clock.fixed(now, ZoneOffset.UTC);

  @Test
  void aLinkIsMarkedUsedOnce_acrossInstancesOnOneDir() {
    ConsoleState one = new ConsoleState(dir, clock);
    ConsoleState two = new ConsoleState(dir, clock);
    assertThat(one.markLinkUsed("a-1", now.plusSeconds(900))).isTrue();
    assertThat(one.markLinkUsed("a-1", now.plusSeconds(900))).isFalse();
    assertThat(two.markLinkUsed("a-1", now.plusSeconds(900))).isFalse();
    assertThat(two.markLinkUsed("a-2", now.plusSeconds(900))).isTrue();
  }

  @Test
  void aRevokedSession_isKnownToEveryInstance() {
    ConsoleState one = new ConsoleState(dir, clock);
    assertThat(new ConsoleState(dir, clock).isRevoked("s-1")).isFalse();
    one.revoke("s-1", now.plusSeconds(3600));
    assertThat(new ConsoleState(dir, clock).isRevoked("s-1")).isTrue();
  }

  @Test
  void recordsOfLongExpiredTokens_areSwept() throws Exception {
    new ConsoleState(dir, clock).revoke("old", now.minusSeconds(3600));
    new ConsoleState(dir, clock).revoke("live", now.plusSeconds(3600));
    // the next instance's first write sweeps
    new ConsoleState(dir, clock).markLinkUsed("x", now.plusSeconds(60));
    assertThat(Files.exists(dir.resolve("revoked/old"))).isFalse();
    assertThat(Files.exists(dir.resolve("revoked/live"))).isTrue();
  }

  @Test
  void onlyTokenIdsBecomeFileNames() {
    ConsoleState state = new ConsoleState(dir, clock);
    assertThatThrownBy(() -> state.markLinkUsed("../keys/token-signing.jwk", now))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> state.revoke("a/b", now)).isInstanceOf(IllegalArgumentException.class);
    assertThat(state.isRevoked("../../etc/passwd")).isFalse();
  }

  @Test
  void aStartedSignIn_isTakenOnce_acrossInstances_andNotAfterItsExpiry() {
    ConsoleState one = new ConsoleState(dir, clock);
    ConsoleState two = new ConsoleState(dir, clock);
    String id = "a".repeat(64);
    one.startSignIn(id, java.util.List.of("state", "nonce", "verifier"), now.plusSeconds(600));
    assertThat(two.takeSignIn(id)).contains(java.util.List.of("state", "nonce", "verifier"));
    assertThat(one.takeSignIn(id)).isEmpty();
    assertThat(two.takeSignIn(id)).isEmpty();

    String old = "b".repeat(64);
    one.startSignIn(old, java.util.List.of("s"), now.minusSeconds(1));
    assertThat(two.takeSignIn(old)).isEmpty();
    assertThatThrownBy(() -> one.startSignIn("c", java.util.List.of("a\nb"), now))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(one.takeSignIn("../x")).isEmpty();
  }

  @Test
  void startedSignIns_areBounded_expiredOnesMakeRoom_andARestartCountsWhatIsOnDisk() {
    java.util.List<String> lines = java.util.List.of("state", "nonce", "verifier");
    ConsoleState state = new ConsoleState(dir, clock, 3);
    assertThat(state.startSignIn("p-1", lines, now.plusSeconds(600))).isTrue();
    assertThat(state.startSignIn("p-2", lines, now.plusSeconds(600))).isTrue();
    assertThat(state.startSignIn("p-3", lines, now.minusSeconds(1))).isTrue();
    // full: the expired p-3 is swept at once (not after the usual margin) to make room
    assertThat(state.startSignIn("p-4", lines, now.plusSeconds(600))).isTrue();
    assertThat(Files.exists(dir.resolve("sign-ins/p-3"))).isFalse();
    // full of live sign-ins: refused, and nothing written
    assertThat(state.startSignIn("p-5", lines, now.plusSeconds(600))).isFalse();
    assertThat(Files.exists(dir.resolve("sign-ins/p-5"))).isFalse();
    // a taken sign-in frees its place
    assertThat(state.takeSignIn("p-1")).isPresent();
    assertThat(state.startSignIn("p-5", lines, now.plusSeconds(600))).isTrue();
    // a restarted node counts the started sign-ins it finds
    ConsoleState restarted = new ConsoleState(dir, clock, 3);
    assertThat(restarted.startSignIn("p-6", lines, now.plusSeconds(600))).isFalse();
  }
}
