package org.atnabridge.search;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import java.nio.file.Path;
import java.util.EnumSet;
import org.atnabridge.search.intake.AccessLogIntakeServlet;
import org.atnabridge.search.security.SecurityHeadersFilter;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
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
  private @Nullable HardenedJetty jetty;
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
    HardenedJetty server =
        new HardenedJetty("http-intake", 32, 2, host, requestedPort, listener, httpsCert, httpsKey);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    context.addFilter(
        new FilterHolder(new SecurityHeadersFilter()), "/*", EnumSet.of(DispatcherType.REQUEST));
    SearchServer.mount(context, intake, authentication);
    try {
      server.start(context);
    } catch (Exception e) {
      throw new IllegalStateException(
          "cannot start the access log intake on " + host + ":" + requestedPort + ": " + e, e);
    }
    jetty = server;
    port = server.localPort();
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
    HardenedJetty s = jetty;
    return s != null && s.isStarted();
  }

  @Override
  public synchronized void close() {
    HardenedJetty s = jetty;
    jetty = null;
    if (s != null) {
      s.stop(LOG, "access log intake");
    }
  }
}
