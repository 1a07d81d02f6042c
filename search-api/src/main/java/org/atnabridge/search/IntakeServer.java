package org.atnabridge.search;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import java.nio.file.Path;
import java.util.EnumSet;
import org.atnabridge.search.intake.AccessLogIntakeServlet;
import org.atnabridge.search.security.SecurityHeadersFilter;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listener with only {@code POST /ingest/access-logs}, for {@code atna-bridge ingest}: the same
 * servlet, authentication filter, edge (security headers, no TRACE, sanitised errors, header and
 * idle timeouts, connection caps) and optional HTTPS as the API's {@link SearchServer}. Port 0
 * picks a free port ({@link #port()}).
 */
public final class IntakeServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(IntakeServer.class);

  private final String host;
  private final int requestedPort;
  private final AccessLogIntakeServlet intake;
  private final Filter authentication;
  private final ListenerSettings listener;
  private final @Nullable Path httpsCert;
  private final @Nullable Path httpsKey;
  private @Nullable Server jetty;
  private int port;

  /**
   * @param httpsCert PEM chain to serve HTTPS only, or null for plain HTTP (then {@code httpsKey}
   *     is null too)
   */
  public IntakeServer(
      String host,
      int port,
      AccessLogIntakeServlet intake,
      Filter authentication,
      ListenerSettings listener,
      @Nullable Path httpsCert,
      @Nullable Path httpsKey) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("intake port out of range: " + port);
    }
    if ((httpsCert == null) != (httpsKey == null)) {
      throw new IllegalArgumentException("an HTTPS certificate and key go together");
    }
    this.host = host;
    this.requestedPort = port;
    this.intake = intake;
    this.authentication = authentication;
    this.listener = listener;
    this.httpsCert = httpsCert;
    this.httpsKey = httpsKey;
  }

  public synchronized IntakeServer start() {
    if (jetty != null) {
      return this;
    }
    QueuedThreadPool threads = new QueuedThreadPool(32, 2);
    threads.setName("http-intake");
    Server server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    ConnectionGuard connections = new ConnectionGuard(listener);
    http.addCustomizer(connections);
    ServerConnector connector =
        httpsCert == null || httpsKey == null
            ? new ServerConnector(server, new HttpConnectionFactory(http))
            : SearchServer.httpsConnector(server, http, httpsCert, httpsKey);
    connector.setHost(host);
    connector.setPort(requestedPort);
    connector.setIdleTimeout(listener.idleTimeout().toMillis());
    connector.addEventListener(connections);
    server.addConnector(connector);
    server.addBean(new NetworkConnectionLimit(listener.maxConnections(), connector));
    server.setErrorHandler(new EdgeHandler.Errors());
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    context.addFilter(
        new FilterHolder(new SecurityHeadersFilter()), "/*", EnumSet.of(DispatcherType.REQUEST));
    SearchServer.mount(context, intake, authentication);
    server.setHandler(new EdgeHandler(context));
    server.setStopTimeout(5_000);
    try {
      server.start();
    } catch (Exception e) {
      try {
        server.stop();
      } catch (Exception ignored) {
        // already failing
      }
      throw new IllegalStateException(
          "cannot start the access log intake on " + host + ":" + requestedPort + ": " + e, e);
    }
    jetty = server;
    port = connector.getLocalPort();
    LOG.info(
        "access log intake listening on {}://{}:{}{}",
        httpsCert == null ? "http" : "https",
        host,
        port,
        AccessLogIntakeServlet.PATH);
    return this;
  }

  public int port() {
    return port;
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
      LOG.warn("access log intake did not stop cleanly: {}", e.toString());
    }
  }
}
