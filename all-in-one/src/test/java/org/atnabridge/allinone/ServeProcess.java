package org.atnabridge.allinone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.atnabridge.testing.FreePorts;

/**
 * The packaged {@code atna-bridge.jar} run as its own process, the way an operator runs it, with
 * its output in a log file. Closing it kills what is still running, so a failed test leaves no
 * process behind.
 */
final class ServeProcess implements AutoCloseable {

  static final Path JAR = Path.of("target/atna-bridge.jar").toAbsolutePath();
  static final String READY = "atna-bridge ready in";

  private final Process process;
  private final Path log;

  private ServeProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** {@code java -jar atna-bridge.jar ARGS...}, output to {@code log}. */
  static ServeProcess start(Path log, String... args) throws IOException {
    return start(null, log, args);
  }

  /**
   * The same, in the working directory {@code dir} (its {@code ./data} is the default data dir).
   */
  static ServeProcess start(@org.jspecify.annotations.Nullable Path dir, Path log, String... args)
      throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                java(), "-Xmx512m", "--enable-native-access=ALL-UNNAMED", "-jar", JAR.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    if (dir != null) {
      builder.directory(dir.toFile());
    }
    return new ServeProcess(builder.start(), log);
  }

  /**
   * {@code serve} with its data in {@code dir/data} and its log in {@code dir/serve.log}, syslog on
   * the loopback, its own Kafka port, then {@code more} options.
   *
   * @param syslogTls the TLS syslog port, 0 for none
   */
  static ServeProcess serve(Path dir, int http, int syslog, int syslogTls, String... more)
      throws IOException {
    return start(
        dir.resolve("serve.log"), serveArgs(dir, http, syslog, syslogTls, freePort(), more));
  }

  /** The arguments of {@link #serve}, with the Kafka port chosen by the caller. */
  static String[] serveArgs(
      Path dir, int http, int syslog, int syslogTls, int kafka, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "serve",
                "--data-dir",
                dir.resolve("data").toString(),
                "--http-port",
                String.valueOf(http),
                "--syslog-host",
                "127.0.0.1",
                "--syslog-port",
                String.valueOf(syslog),
                "--syslog-tls-port",
                String.valueOf(syslogTls),
                "--kafka-port",
                String.valueOf(kafka)));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  /**
   * A token minted by {@code atna-bridge token} with the data dir's local issuer key: read scope on
   * AuditEvent, cleared for every label, valid 15 minutes.
   */
  static String token(Path dataDir) throws IOException, InterruptedException {
    return mint(dataDir, "--scope", "system/AuditEvent.rs");
  }

  /**
   * A token of {@code atna-bridge token} with these SMART scopes for the subject {@code ops},
   * cleared for every label, valid 15 minutes.
   */
  static String token(Path dataDir, String scope) throws IOException, InterruptedException {
    return mint(dataDir, "--scope", scope, "--sub", "ops");
  }

  private static String mint(Path dataDir, String... options)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(
                java(),
                "-jar",
                JAR.toString(),
                "token",
                "--data-dir",
                dataDir.toString(),
                "--label-clearance",
                "R,V",
                "--ttl",
                "PT15M"));
    command.addAll(List.of(options));
    Process mint = new ProcessBuilder(command).redirectErrorStream(true).start();
    String[] lines =
        new String(mint.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
            .strip()
            .split("\n");
    assertThat(mint.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(mint.exitValue()).as(String.join("\n", lines)).isZero();
    return lines[lines.length - 1];
  }

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  static int freePort() {
    return FreePorts.next();
  }

  /** Waits for the ready line; fails with the log when the process died or took too long. */
  ServeProcess awaitReady(Duration timeout) {
    await()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> log().contains(READY) || !process.isAlive());
    assertThat(process.isAlive()).as("serve died:\n%s", log()).isTrue();
    return this;
  }

  String log() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** SIGTERM, then waits for the exit; true when it stopped in time. */
  boolean terminate(Duration timeout) throws InterruptedException {
    process.destroy();
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** SIGKILL, as a crashed machine: no shutdown hook, no flush, no commit. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }
}
