package org.atnabridge.search;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.atnabridge.schemas.pem.PemFiles;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * The Jetty set-up the API's {@link SearchServer} and the ingest {@link IntakeServer} share: one
 * connector (plain HTTP, or HTTPS only) without server version or X-Powered-By, header and idle
 * timeouts and per-address caps ({@link ConnectionGuard}), a total connection cap, sanitised error
 * pages and the {@link EdgeHandler} in front of the application.
 */
final class HardenedJetty {

  private final Server server;
  private final ServerConnector connector;
  final ConnectionGuard connections;

  /**
   * @param httpsCert PEM chain to serve HTTPS only, or null for plain HTTP (then {@code httpsKey}
   *     is null too)
   */
  HardenedJetty(
      String threadName,
      int maxThreads,
      int minThreads,
      String host,
      int port,
      ListenerSettings listener,
      @Nullable Path httpsCert,
      @Nullable Path httpsKey) {
    QueuedThreadPool threads = new QueuedThreadPool(maxThreads, minThreads);
    threads.setName(threadName);
    server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    connections = new ConnectionGuard(listener);
    http.addCustomizer(connections); // told when a request header is complete
    connector =
        httpsCert == null || httpsKey == null
            ? new ServerConnector(server, new HttpConnectionFactory(http))
            : httpsConnector(server, http, httpsCert, httpsKey);
    connector.setHost(host);
    connector.setPort(port);
    connector.setIdleTimeout(listener.idleTimeout().toMillis());
    connector.addEventListener(connections);
    server.addConnector(connector);
    server.addBean(new NetworkConnectionLimit(listener.maxConnections(), connector));
    server.setErrorHandler(new EdgeHandler.Errors());
  }

  /**
   * Starts with {@code application} behind the {@link EdgeHandler}; on failure stops what started
   * and rethrows, for the caller to name the listener in its message.
   */
  void start(Handler application) throws Exception {
    server.setHandler(new EdgeHandler(application));
    server.setStopTimeout(5_000);
    try {
      server.start();
    } catch (Exception e) {
      try {
        server.stop();
      } catch (Exception ignored) {
        // already failing
      }
      throw e;
    }
  }

  int localPort() {
    return connector.getLocalPort();
  }

  boolean isStarted() {
    return server.isStarted();
  }

  /** Stops the server; a failure is logged as {@code what} not stopping cleanly, never thrown. */
  void stop(Logger log, String what) {
    try {
      server.stop();
    } catch (Exception e) {
      log.warn("{} did not stop cleanly: {}", what, e.toString());
    }
  }

  /** An HTTPS-only connector (TLS 1.3 and 1.2, HSTS) with a PEM chain and PKCS#8 key. */
  private static ServerConnector httpsConnector(
      Server server, HttpConfiguration http, Path httpsCert, Path httpsKey) {
    PrivateKey key = PemFiles.privateKey(httpsKey, "--https-key");
    List<X509Certificate> chain = PemFiles.certificates(httpsCert, "--https-cert");
    char[] password = UUID.randomUUID().toString().toCharArray(); // in-memory store only
    KeyStore store;
    try {
      store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("api", key, password, chain.toArray(Certificate[]::new));
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException(
          "--https-cert/--https-key do not form a key pair and chain: " + e.getMessage(), e);
    }
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStore(store);
    ssl.setKeyStorePassword(new String(password));
    ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
    SecureRequestCustomizer secure = new SecureRequestCustomizer();
    secure.setSniHostCheck(false); // clients may connect by IP address
    secure.setStsMaxAge(Duration.ofDays(365).toSeconds()); // HSTS on every TLS response
    http.addCustomizer(secure);
    return new ServerConnector(
        server,
        new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()),
        new HttpConnectionFactory(http));
  }
}
