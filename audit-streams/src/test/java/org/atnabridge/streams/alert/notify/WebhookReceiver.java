package org.atnabridge.streams.alert.notify;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A real HTTP receiver on loopback (the JDK's server) that records every request it gets and
 * answers with {@link #status} (changeable while it runs).
 */
final class WebhookReceiver implements AutoCloseable {

  /** One request as it arrived. */
  record Request(
      String path,
      String id,
      String timestamp,
      String signature,
      String contentType,
      byte[] body,
      Instant received,
      int answered) {}

  final List<Request> requests = new CopyOnWriteArrayList<>();
  final AtomicInteger status = new AtomicInteger(200);

  /** A {@code Location} to answer with (for redirects), or null. */
  volatile @Nullable String location;

  private final HttpServer server;

  private WebhookReceiver(HttpServer server) {
    this.server = server;
  }

  /** On a free port ({@code port} 0) or the port given. */
  static WebhookReceiver start(int port) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    WebhookReceiver r = new WebhookReceiver(server);
    server.createContext(
        "/",
        exchange -> {
          byte[] body;
          try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
          }
          int answer = r.status.get();
          var h = exchange.getRequestHeaders();
          r.requests.add(
              new Request(
                  exchange.getRequestURI().getPath(),
                  String.valueOf(h.getFirst("webhook-id")),
                  String.valueOf(h.getFirst("webhook-timestamp")),
                  String.valueOf(h.getFirst("webhook-signature")),
                  String.valueOf(h.getFirst("content-type")),
                  body,
                  Instant.now(),
                  answer));
          String to = r.location;
          if (to != null) {
            exchange.getResponseHeaders().add("location", to);
          }
          exchange.sendResponseHeaders(answer, -1);
          exchange.close();
        });
    server.start();
    return r;
  }

  int port() {
    return server.getAddress().getPort();
  }

  URI url(String path) {
    return URI.create("http://127.0.0.1:" + port() + path);
  }

  List<Request> delivered() {
    return requests.stream().filter(r -> r.answered() / 100 == 2).toList();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
