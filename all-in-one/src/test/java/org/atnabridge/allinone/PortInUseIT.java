package org.atnabridge.allinone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A port another process holds, as the user meets it: the packaged jar stops before starting
 * anything, with one line naming the port, what it is for and the option and variable that move it,
 * exit code 2 and no stack trace.
 */
class PortInUseIT {

  @TempDir Path dir;

  @Test
  void kafkaPortTaken_namesThePortAndKafkaPortOption() throws Exception {
    try (ServerSocket held = hold()) {
      int port = held.getLocalPort();
      Result r =
          run(
              "serve",
              "--data-dir",
              dir.resolve("data").toString(),
              "--kafka-port",
              String.valueOf(port),
              "--http-port",
              String.valueOf(ServeProcess.freePort()),
              "--syslog-port",
              String.valueOf(ServeProcess.freePort()));
      assertThat(r.exit).as(r.all()).isEqualTo(2);
      assertThat(r.stderr.strip())
          .isEqualTo(
              "atna-bridge: port "
                  + port
                  + " (embedded Kafka) is in use: choose another with --kafka-port or ATNA_KAFKA_PORT");
      assertNothingStarted(r);
    }
  }

  @Test
  void httpPortTaken_namesThePortAndHttpPortOption() throws Exception {
    try (ServerSocket held = hold()) {
      int port = held.getLocalPort();
      Result r =
          run(
              "serve",
              "--data-dir",
              dir.resolve("data").toString(),
              "--http-port",
              String.valueOf(port),
              "--kafka-port",
              String.valueOf(ServeProcess.freePort()),
              "--syslog-port",
              String.valueOf(ServeProcess.freePort()));
      assertThat(r.exit).as(r.all()).isEqualTo(2);
      assertThat(r.stderr.strip())
          .isEqualTo(
              "atna-bridge: port "
                  + port
                  + " (FHIR server and health) is in use: choose another with --http-port or ATNA_HTTP_PORT");
      assertNothingStarted(r);
    }
  }

  @Test
  void syslogPortTaken_namesTheSyslogPortOption() throws Exception {
    try (ServerSocket held = hold()) {
      int port = held.getLocalPort();
      Result r =
          run(
              "serve",
              "--data-dir",
              dir.resolve("data").toString(),
              "--syslog-port",
              String.valueOf(port),
              "--kafka-port",
              String.valueOf(ServeProcess.freePort()),
              "--http-port",
              String.valueOf(ServeProcess.freePort()));
      assertThat(r.exit).as(r.all()).isEqualTo(2);
      assertThat(r.stderr.strip())
          .isEqualTo(
              "atna-bridge: port "
                  + port
                  + " (syslog TCP) is in use: choose another with --syslog-port or ATNA_SYSLOG_PORT");
      assertNothingStarted(r);
    }
  }

  @Test
  void ingestHealthPortTaken_namesHealthPortOption_beforeJoiningKafka() throws Exception {
    try (ServerSocket held = hold()) {
      int port = held.getLocalPort();
      // no broker listens on the bootstrap: the port is checked before Kafka is ever asked
      Result r =
          run(
              "ingest",
              "--kafka-bootstrap",
              "127.0.0.1:" + ServeProcess.freePort(),
              "--health-port",
              String.valueOf(port),
              "--syslog-port",
              String.valueOf(ServeProcess.freePort()));
      assertThat(r.exit).as(r.all()).isEqualTo(2);
      assertThat(r.stderr.strip())
          .isEqualTo(
              "atna-bridge: port "
                  + port
                  + " (health and metrics) is in use: choose another with --health-port or ATNA_HEALTH_PORT");
      assertNothingStarted(r);
    }
  }

  @Test
  void ingestHttpPortTaken_namesTheIngestHttpPortOption() throws Exception {
    try (ServerSocket held = hold()) {
      int port = held.getLocalPort();
      Result r =
          run(
              "ingest",
              "--kafka-bootstrap",
              "127.0.0.1:" + ServeProcess.freePort(),
              "--data-dir",
              dir.resolve("data").toString(),
              "--health-port",
              String.valueOf(ServeProcess.freePort()),
              "--syslog-port",
              String.valueOf(ServeProcess.freePort()),
              "--ingest-http-port",
              String.valueOf(port));
      assertThat(r.exit).as(r.all()).isEqualTo(2);
      assertThat(r.stderr.strip())
          .isEqualTo(
              "atna-bridge: port "
                  + port
                  + " (HTTP access log intake) is in use: choose another with --ingest-http-port or "
                  + "ATNA_INGEST_HTTP_PORT");
      assertNothingStarted(r);
    }
  }

  private static void assertNothingStarted(Result r) {
    assertThat(r.all()).doesNotContain("at org.", "at kafka.", "Exception", "ready:");
    assertThat(r.stdout).isEmpty();
  }

  private static ServerSocket hold() throws IOException {
    ServerSocket s = new ServerSocket();
    s.bind(new InetSocketAddress("127.0.0.1", 0));
    return s;
  }

  record Result(int exit, String stdout, String stderr) {
    String all() {
      return "stdout:\n" + stdout + "\nstderr:\n" + stderr;
    }
  }

  /** {@code java -jar atna-bridge.jar ARGS...}: exit code, stdout and stderr apart. */
  static Result run(String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(ServeProcess.java(), "-Xmx256m", "-jar", ServeProcess.JAR.toString()));
    command.addAll(List.of(args));
    return run(new ProcessBuilder(command));
  }

  static Result run(ProcessBuilder command) throws Exception {
    Process p = command.start();
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
    String out = read(p.getInputStream());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("still running").isTrue();
    return new Result(p.exitValue(), out, err.get());
  }

  private static String read(java.io.InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
