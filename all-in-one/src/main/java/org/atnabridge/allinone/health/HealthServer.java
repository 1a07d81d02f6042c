package org.atnabridge.allinone.health;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.atnabridge.search.SearchServer.TextReply;
import org.atnabridge.search.security.SecurityHeaders;

/**
 * {@code /health/live}, {@code /health/ready} and {@code /metrics} on a port of their own, for the
 * services without the FHIR server ({@code ingest}, {@code streams}, {@code indexer}). GET only, no
 * token, the same security headers as every API response, nothing but status, check names and
 * meters.
 */
public final class HealthServer implements AutoCloseable {

  private final HttpServer server;

  private HealthServer(HttpServer server) {
    this.server = server;
  }

  /** Binds {@code host:port} (0 = any free port) and serves until closed. */
  public static HealthServer start(
      String host, int port, Readiness readiness, PrometheusMeterRegistry registry) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 16);
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot open the health port " + host + ":" + port + ": " + e.getMessage(), e);
    }
    server.createContext(
        HealthEndpoints.LIVE,
        ex -> answer(ex, HealthEndpoints.LIVE, HealthEndpoints.JSON, HealthEndpoints::live));
    server.createContext(
        HealthEndpoints.READY,
        ex ->
            answer(
                ex,
                HealthEndpoints.READY,
                HealthEndpoints.JSON,
                () -> HealthEndpoints.ready(readiness)));
    server.createContext(
        HealthEndpoints.METRICS,
        ex ->
            answer(
                ex,
                HealthEndpoints.METRICS,
                HealthEndpoints.PROMETHEUS,
                () -> new TextReply(200, registry.scrape())));
    server.createContext(
        "/", ex -> answer(ex, "", "text/plain; charset=utf-8", () -> new TextReply(404, "")));
    server.setExecutor(
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "health-http");
              t.setDaemon(true);
              return t;
            }));
    server.start();
    return new HealthServer(server);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void answer(
      HttpExchange exchange, String path, String contentType, Supplier<TextReply> reply)
      throws IOException {
    try (exchange) {
      SecurityHeaders.apply(exchange.getResponseHeaders()::set);
      TextReply r;
      if (!exchange.getRequestURI().getPath().equals(path)) {
        r = new TextReply(404, "");
      } else if (!exchange.getRequestMethod().equals("GET")) {
        exchange.getResponseHeaders().set("Allow", "GET");
        r = new TextReply(405, "");
      } else {
        r = reply.get();
      }
      byte[] body = r.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", contentType);
      exchange.sendResponseHeaders(r.status(), body.length == 0 ? -1 : body.length);
      if (body.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    if (server.getExecutor() instanceof java.util.concurrent.ExecutorService pool) {
      pool.shutdownNow();
    }
  }
}
