package org.atnabridge.search;

import ca.uhn.fhir.rest.server.RestfulServer;
import java.net.InetSocketAddress;
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
 * port ({@link #port()} tells which). Construction does no I/O.
 */
public final class SearchServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SearchServer.class);

  private final String host;
  private final int requestedPort;
  private final RestfulServer fhir;
  private @Nullable Server jetty;
  private int port;

  public SearchServer(String host, int port, RestfulServer fhir) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("http port out of range: " + port);
    }
    this.host = host;
    this.requestedPort = port;
    this.fhir = fhir;
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
