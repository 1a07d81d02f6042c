package org.atnabridge.bench.ipf;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged product run as an operator runs it: {@code java -jar atna-bridge.jar serve} with its
 * embedded KRaft broker and Lucene store in a data dir of its own, fed over its TCP syslog
 * listener. Closing it kills what is still running, so a failed test leaves no process behind.
 */
final class ProductServe implements AutoCloseable {

  private static final String READY = "atna-bridge ready in";

  private final Process process;
  private final Path log;
  private final Path dataDir;
  final int httpPort;
  final int syslogPort;

  private ProductServe(Process process, Path log, Path dataDir, int httpPort, int syslogPort) {
    this.process = process;
    this.log = log;
    this.dataDir = dataDir;
    this.httpPort = httpPort;
    this.syslogPort = syslogPort;
  }

  static ProductServe start(Path jar, Path work) throws IOException {
    Path dataDir = work.resolve("data");
    Path log = work.resolve("serve.log");
    int http = freePort();
    int syslog = freePort();
    int kafka = freePort();
    Process process =
        new ProcessBuilder(
                ProductConvert.java().toString(),
                "-Xmx512m",
                "--enable-native-access=ALL-UNNAMED",
                "-jar",
                jar.toString(),
                "serve",
                "--data-dir",
                dataDir.toString(),
                "--http-port",
                String.valueOf(http),
                "--syslog-port",
                String.valueOf(syslog),
                "--kafka-port",
                String.valueOf(kafka))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    return new ProductServe(process, log, dataDir, http, syslog);
  }

  /** Waits for the ready line; fails with the log when the process died or took too long. */
  ProductServe awaitReady(Duration timeout) throws InterruptedException {
    Instant until = Instant.now().plus(timeout);
    while (!log().contains(READY)) {
      if (!process.isAlive() || Instant.now().isAfter(until)) {
        throw new AssertionError("serve did not get ready:\n" + log());
      }
      Thread.sleep(200);
    }
    return this;
  }

  String fhirR4Base() {
    return "http://127.0.0.1:" + httpPort + "/fhir/R4";
  }

  /** {@code atna-bridge token --scope SCOPE} against this serve's data dir: its last line. */
  String token(Path jar, String scope) throws IOException, InterruptedException {
    Process mint =
        new ProcessBuilder(
                ProductConvert.java().toString(),
                "-jar",
                jar.toString(),
                "token",
                "--data-dir",
                dataDir.toString(),
                "--scope",
                scope)
            .redirectErrorStream(true)
            .start();
    String out = new String(mint.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (!mint.waitFor(60, TimeUnit.SECONDS) || mint.exitValue() != 0) {
      throw new AssertionError("atna-bridge token failed:\n" + out);
    }
    List<String> lines = out.lines().toList();
    return lines.getLast();
  }

  /**
   * Sends each audit XML as an RFC 5424 message with MSGID {@code IHE+RFC-3881} over TCP with octet
   * counting (RFC 6587 §3.4.1; the framing of RFC 5425 §4.3), one connection.
   */
  void sendSyslog(List<String> auditXml) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", syslogPort)) {
      OutputStream out = socket.getOutputStream();
      List<byte[]> frames = new ArrayList<>();
      for (String xml : auditXml) {
        byte[] message =
            ("<85>1 " + Instant.now() + " bench-ipf ipf-it - IHE+RFC-3881 - " + xml)
                .getBytes(StandardCharsets.UTF_8);
        byte[] length = (message.length + " ").getBytes(StandardCharsets.US_ASCII);
        frames.add(length);
        frames.add(message);
      }
      for (byte[] f : frames) {
        out.write(f);
      }
      out.flush();
    }
  }

  String log() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
    }
  }
}
