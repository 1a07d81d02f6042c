package org.atnabridge.allinone;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's nginx as a child process of the test, in its own prefix directory, on free loopback
 * ports. {@link #start}: it proxies {@code /fhir/} to a backend and writes its access log twice, to
 * a file and with {@code access_log syslog:} (RFC 3164 over UDP, tag {@code nginx}) to the bridge's
 * listener, in the {@code combined} format, without any shipper. {@code /health} and {@code
 * /static/} are answered by nginx itself (lines the conversion drops). {@link #balancer}: the load
 * balancer in front of scaled-out services, a {@code stream} proxy for syslog (TCP, and TLS passed
 * through untouched so the client certificate reaches ingest) and an {@code http} proxy for the
 * API.
 */
final class Nginx implements AutoCloseable {

  /** Debian builds the stream proxy as a dynamic module (package libnginx-mod-stream). */
  static final Path STREAM_MODULE = Path.of("/usr/lib/nginx/modules/ngx_stream_module.so");

  private final Process process;
  private final Path prefix;
  private final int port;
  private final int tcpPort;
  private final int tlsPort;

  private Nginx(Process process, Path prefix, int port, int tcpPort, int tlsPort) {
    this.process = process;
    this.prefix = prefix;
    this.port = port;
    this.tcpPort = tcpPort;
    this.tlsPort = tlsPort;
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
    return run(prefix, conf, port, 0, 0);
  }

  /**
   * The load balancer of a scaled-out deployment: round robin over {@code syslogTcp} backends on
   * {@link #tcpPort()}, over {@code syslogTls} on {@link #tlsPort()} (bytes passed through, TLS
   * ends at ingest), and over {@code api} (HTTP) on {@link #baseUrl()}. A backend that refuses the
   * connection is skipped for the next one, as an operator's balancer does; an HTTP request is
   * retried on the other API instance when the first refuses, resets or answers 502/503.
   */
  static Nginx balancer(
      Path prefix, List<Integer> syslogTcp, List<Integer> syslogTls, List<Integer> api)
      throws IOException {
    if (!Files.exists(STREAM_MODULE)) {
      throw new IllegalStateException(
          STREAM_MODULE + " missing: install Debian's libnginx-mod-stream (bin/test does)");
    }
    Files.createDirectories(prefix.resolve("logs"));
    int port = freePort();
    int tcp = freePort();
    int tls = freePort();
    String conf =
        """
        load_module %1$s;
        worker_processes 1;
        pid %2$s/nginx.pid;
        error_log %2$s/logs/error.log notice;
        events { worker_connections 1024; }
        stream {
          log_format session '$remote_addr $protocol $status $bytes_received $upstream_addr $session_time';
          access_log %2$s/logs/stream.log session;
          proxy_connect_timeout 2s;
          proxy_timeout 10m;
          upstream ingest_tcp {%3$s}
          upstream ingest_tls {%4$s}
          server { listen 127.0.0.1:%6$d; proxy_pass ingest_tcp; }
          server { listen 127.0.0.1:%7$d; proxy_pass ingest_tls; }
        }
        http {
          client_body_temp_path %2$s/tmp_body;
          proxy_temp_path %2$s/tmp_proxy;
          fastcgi_temp_path %2$s/tmp_fastcgi;
          uwsgi_temp_path %2$s/tmp_uwsgi;
          scgi_temp_path %2$s/tmp_scgi;
          log_format upstream '$remote_addr "$request" $status $upstream_addr $upstream_status';
          access_log %2$s/logs/access.log upstream;
          upstream api {%5$s}
          server {
            listen 127.0.0.1:%8$d;
            location / {
              proxy_pass http://api;
              proxy_http_version 1.1;
              proxy_set_header Connection "";
              proxy_set_header Host $http_host;
              proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
              proxy_set_header X-Forwarded-Proto $scheme;
              proxy_set_header X-Forwarded-Host $http_host;
              proxy_connect_timeout 2s;
              proxy_read_timeout 60s;
              proxy_next_upstream error timeout http_502 http_503;
              proxy_next_upstream_tries 4;
            }
          }
        }
        """
            .formatted(
                STREAM_MODULE,
                prefix,
                servers(syslogTcp),
                servers(syslogTls),
                servers(api),
                tcp,
                tls,
                port);
    return run(prefix, conf, port, tcp, tls);
  }

  private static String servers(List<Integer> ports) {
    StringBuilder b = new StringBuilder();
    for (int p : ports) {
      // max_fails=0: a dead backend is tried (and skipped) per connection, never marked down for a
      // while, so that a restarted instance gets traffic again at once
      b.append(" server 127.0.0.1:").append(p).append(" max_fails=0;");
    }
    return b.append(' ').toString();
  }

  private static Nginx run(Path prefix, String conf, int port, int tcpPort, int tlsPort)
      throws IOException {
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
    Nginx nginx = new Nginx(process, prefix, port, tcpPort, tlsPort);
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

  /** The balancer's syslog TCP port. */
  int tcpPort() {
    return tcpPort;
  }

  /** The balancer's syslog TLS port (passed through to ingest). */
  int tlsPort() {
    return tlsPort;
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
    return org.atnabridge.testing.FreePorts.next();
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
