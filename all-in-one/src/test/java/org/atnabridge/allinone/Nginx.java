package org.atnabridge.allinone;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's nginx as a child process of the test, in its own prefix directory, on a free loopback
 * port: it proxies {@code /fhir/} to a backend and writes its access log twice, to a file and with
 * {@code access_log syslog:} (RFC 3164 over UDP, tag {@code nginx}) to the bridge's listener, in
 * the {@code combined} format, without any shipper. {@code /health} and {@code /static/} are
 * answered by nginx itself (lines the conversion drops).
 */
final class Nginx implements AutoCloseable {

  private final Process process;
  private final Path prefix;
  private final int port;

  private Nginx(Process process, Path prefix, int port) {
    this.process = process;
    this.prefix = prefix;
    this.port = port;
  }

  /** The nginx binary: Debian installs it in /usr/sbin, often not on a user's PATH. */
  static Path binary() {
    for (String candidate : List.of("/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx")) {
      Path p = Path.of(candidate);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    throw new IllegalStateException(
        "nginx not found in /usr/sbin: install Debian's nginx package (bin/test does)");
  }

  /**
   * @param backendPort the FHIR server nginx proxies {@code /fhir/} to
   * @param syslogPort the bridge's UDP syslog port
   */
  static Nginx start(Path prefix, int backendPort, int syslogPort) throws IOException {
    Files.createDirectories(prefix.resolve("logs"));
    int port = freePort();
    String conf =
        """
        worker_processes 1;
        pid %1$s/nginx.pid;
        error_log %1$s/logs/error.log notice;
        events { worker_connections 64; }
        http {
          client_body_temp_path %1$s/tmp_body;
          proxy_temp_path %1$s/tmp_proxy;
          fastcgi_temp_path %1$s/tmp_fastcgi;
          uwsgi_temp_path %1$s/tmp_uwsgi;
          scgi_temp_path %1$s/tmp_scgi;
          access_log %1$s/logs/access.log combined;
          access_log syslog:server=127.0.0.1:%2$d,tag=nginx combined;
          server {
            listen 127.0.0.1:%3$d;
            location /fhir {
              proxy_pass http://127.0.0.1:%4$d;
              proxy_set_header X-Request-Id $request_id;
              proxy_http_version 1.1;
            }
            location = /health { return 200 "up\\n"; }
            location /static/ { return 200 "static\\n"; }
          }
        }
        """
            .formatted(prefix, syslogPort, port, backendPort);
    Path confFile = prefix.resolve("nginx.conf");
    Files.writeString(confFile, conf);
    Process process =
        new ProcessBuilder(
                binary().toString(),
                "-p",
                prefix.toString(),
                "-e",
                prefix.resolve("logs/error.log").toString(),
                "-c",
                confFile.toString(),
                "-g",
                "daemon off; master_process off;")
            .redirectErrorStream(true)
            .redirectOutput(prefix.resolve("logs/stdout.log").toFile())
            .start();
    Nginx nginx = new Nginx(process, prefix, port);
    nginx.awaitListening();
    return nginx;
  }

  private void awaitListening() throws IOException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "nginx exited with " + process.exitValue() + ": " + errorLog());
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        sleep(50);
      }
    }
    throw new IllegalStateException("nginx did not listen within 20 s: " + errorLog());
  }

  String errorLog() throws IOException {
    Path log = prefix.resolve("logs/error.log");
    return Files.exists(log) ? Files.readString(log) : "(no error log)";
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** The access log file nginx writes beside its syslog output. */
  Path accessLog() {
    return prefix.resolve("logs/access.log");
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy(); // SIGTERM: nginx flushes its logs and exits
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
