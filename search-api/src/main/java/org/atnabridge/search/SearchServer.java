package org.atnabridge.search;

import ca.uhn.fhir.rest.server.RestfulServer;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Jetty 12 lifecycle around the FHIR servlet, mounted at {@code /fhir}. Port 0 picks a free
 * port ({@link #port()} tells which). Construction does no I/O. Other components may add plain
 * text GET endpoints on the same port before {@link #start()} (e.g. {@code /metrics}).
 */
public final class SearchServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SearchServer.class);

  private final String host;
  private final int requestedPort;
  private final RestfulServer fhir;
  private final Map<String, TextEndpoint> textEndpoints = new LinkedHashMap<>();
  private @Nullable Server jetty;
  private int port;

  private record TextEndpoint(String contentType, Supplier<String> body) {}

  public SearchServer(String host, int port, RestfulServer fhir) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("http port out of range: " + port);
    }
    this.host = host;
    this.requestedPort = port;
    this.fhir = fhir;
  }

  /**
   * Serves {@code GET path} with the text {@code body} returns at each request, e.g. the
   * Prometheus exposition at {@code /metrics}. Call before {@link #start()}.
   *
   * @param path an exact path outside {@code /fhir}, e.g. {@code /metrics}
   */
  public synchronized SearchServer addTextEndpoint(String path, String contentType, Supplier<String> body) {
    if (jetty != null) {
      throw new IllegalStateException("addTextEndpoint after start");
    }
    if (!path.startsWith("/") || path.startsWith("/fhir")) {
      throw new IllegalArgumentException("text endpoint path must start with / and not be under /fhir: " + path);
    }
    textEndpoints.put(path, new TextEndpoint(contentType, body));
    return this;
  }

  public synchronized SearchServer start() {
    if (jetty != null) {
      return this;
    }
    QueuedThreadPool threads = new QueuedThreadPool(64, 4);
    threads.setName("http");
    Server server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost(host);
    connector.setPort(requestedPort);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    ServletHolder holder = new ServletHolder("fhir", fhir);
    holder.setInitOrder(1);
    context.addServlet(holder, "/fhir/*");
    textEndpoints.forEach((path, endpoint) -> context.addServlet(new ServletHolder(path, new TextServlet(endpoint)), path));
    server.setHandler(context);
    server.setStopTimeout(5_000);
    try {
      server.start();
    } catch (Exception e) {
      try {
        server.stop();
      } catch (Exception ignored) {
        // already failing
      }
      throw new IllegalStateException("cannot start the FHIR server on " + host + ":" + requestedPort + ": "
          + e.getMessage(), e);
    }
    jetty = server;
    port = connector.getLocalPort();
    LOG.info("FHIR server listening on http://{}:{}/fhir", host, port);
    return this;
  }

  public int port() {
    return port;
  }

  public String baseUrl() {
    String h = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
    return "http://" + (h.contains(":") ? "[" + h + "]" : h) + ":" + port + "/fhir";
  }

  public InetSocketAddress address() {
    return new InetSocketAddress(host, port);
  }

  public boolean check() {
    Server s = jetty;
    return s != null && s.isStarted();
  }

  /** A GET-only servlet writing one supplier's text. */
  private static final class TextServlet extends HttpServlet {
    private final transient TextEndpoint endpoint;

    TextServlet(TextEndpoint endpoint) {
      this.endpoint = endpoint;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      byte[] body = endpoint.body().get().getBytes(StandardCharsets.UTF_8);
      resp.setStatus(200);
      resp.setContentType(endpoint.contentType());
      resp.setContentLength(body.length);
      resp.getOutputStream().write(body);
    }
  }

  @Override
  public synchronized void close() {
    Server s = jetty;
    if (s == null) {
      return;
    }
    jetty = null;
    try {
      s.stop();
    } catch (Exception e) {
      LOG.warn("FHIR server did not stop cleanly: {}", e.toString());
    }
  }
}
