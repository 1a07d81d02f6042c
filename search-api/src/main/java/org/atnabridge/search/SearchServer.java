package org.atnabridge.search;

import ca.uhn.fhir.rest.server.RestfulServer;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.atnabridge.schemas.pem.PemFiles;
import org.atnabridge.search.intake.AccessLogIntakeServlet;
import org.atnabridge.search.security.CorsSettings;
import org.atnabridge.search.security.SecurityHeadersFilter;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.websocket.server.config.JettyWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.handler.CrossOriginHandler;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Jetty 12 lifecycle around the FHIR servlet, mounted at {@code /fhir}. Port 0 picks a free
 * port ({@link #port()} tells which). Construction does no I/O. Other components may add plain text
 * GET endpoints on the same port before {@link #start()} (e.g. {@code /metrics}).
 */
public final class SearchServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SearchServer.class);

  private final String host;
  private final int requestedPort;
  private final RestfulServer fhir;
  private final Map<String, TextEndpoint> textEndpoints = new LinkedHashMap<>();
  private @Nullable HardenedJetty jetty;
  private int port;
  private @Nullable Filter authentication;
  private @Nullable Path httpsCert;
  private @Nullable Path httpsKey;
  private CorsSettings cors = CorsSettings.off();
  private ListenerSettings listener = ListenerSettings.DEFAULTS;
  private @Nullable String publicBaseUrl;
  private @Nullable ConnectionGuard guard;
  private @Nullable HttpServlet accessLogIntake;
  private @Nullable RestfulServer r4;
  private @Nullable HttpServlet console;
  private @Nullable Filter consoleSession;
  private @Nullable HttpServlet subscriptionSockets;

  /** Where the websocket channel of Subscriptions is served (R5 {@code bind-with-token}). */
  public static final String WEBSOCKET_PATH = "/fhir/websocket";

  /** Where the R4 base is mounted, below the R5 one ({@code /fhir}). */
  public static final String R4_PATH = "/R4";

  private record TextEndpoint(String contentType, Supplier<TextReply> reply) {}

  /** A status and text body for {@link #addStatusEndpoint(String, String, Supplier)}. */
  public record TextReply(int status, String body) {}

  public SearchServer(String host, int port, RestfulServer fhir) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("http port out of range: " + port);
    }
    this.host = host;
    this.requestedPort = port;
    this.fhir = fhir;
  }

  /**
   * Serves {@code GET path} with the text {@code body} returns at each request, e.g. the Prometheus
   * exposition at {@code /metrics}. Call before {@link #start()}. These endpoints are outside
   * {@code /fhir} and not authenticated: they must never serve audit data.
   *
   * @param path an exact path outside {@code /fhir}, e.g. {@code /metrics}
   */
  public synchronized SearchServer addTextEndpoint(
      String path, String contentType, Supplier<String> body) {
    return addStatusEndpoint(path, contentType, () -> new TextReply(200, body.get()));
  }

  /**
   * As {@link #addTextEndpoint(String, String, Supplier)}, with the status from each reply (e.g.
   * {@code /health/ready}: 200 or 503). Same rules: outside {@code /fhir}, no token, no audit data.
   */
  public synchronized SearchServer addStatusEndpoint(
      String path, String contentType, Supplier<TextReply> reply) {
    if (jetty != null) {
      throw new IllegalStateException("addTextEndpoint after start");
    }
    if (!path.startsWith("/") || path.startsWith("/fhir")) {
      throw new IllegalArgumentException(
          "text endpoint path must start with / and not be under /fhir: " + path);
    }
    textEndpoints.put(path, new TextEndpoint(contentType, reply));
    return this;
  }

  /**
   * Puts {@code filter} (see {@code ApiSecurity#authentication}) in front of {@code /fhir}. Call
   * before start.
   */
  public synchronized SearchServer authenticateWith(Filter filter) {
    requireNotStarted();
    authentication = filter;
    return this;
  }

  /**
   * Serves {@code POST /ingest/access-logs} ({@link AccessLogIntakeServlet#PATH}) with {@code
   * intake}, behind the same authentication filter as {@code /fhir} ({@link
   * #authenticateWith(Filter)}, required). Call before start.
   */
  public synchronized SearchServer accessLogIntake(AccessLogIntakeServlet intake) {
    requireNotStarted();
    accessLogIntake = intake;
    return this;
  }

  /**
   * Mounts {@code r4} ({@code FhirServerFactory#createR4}) as the R4 base {@code /fhir/R4}, behind
   * the same authentication filter, links built from {@link #publicBaseUrl()} + {@code /R4}. Call
   * before start.
   */
  public synchronized SearchServer r4Base(RestfulServer r4) {
    requireNotStarted();
    this.r4 = r4;
    return this;
  }

  /**
   * Serves the web console ({@code org.atnabridge.search.console.ConsoleServlet}) at {@code /}, and
   * puts {@code session} (which turns the console's session cookie into the caller's bearer token)
   * in front of the authentication filter of {@code /fhir}. Call before start.
   */
  public synchronized SearchServer console(HttpServlet pages, Filter session) {
    requireNotStarted();
    console = pages;
    consoleSession = session;
    return this;
  }

  /**
   * Serves the websocket channel of Subscriptions ({@code Subscriptions#socketServlet}) at {@link
   * #WEBSOCKET_PATH} ({@code wss} under HTTPS). The upgrade carries no bearer token (a browser
   * cannot send one): the authentication filter passes it, and a socket binds a subscription only
   * with a token of {@code $get-ws-binding-token}. Call before start.
   */
  public synchronized SearchServer subscriptionSockets(HttpServlet upgrade) {
    requireNotStarted();
    subscriptionSockets = upgrade;
    return this;
  }

  /** The console's root ({@link #publicBaseUrl()} without {@code /fhir}, ending in {@code /}). */
  public String consoleUrl() {
    String base = publicBaseUrl();
    return (base.endsWith("/fhir") ? base.substring(0, base.length() - 5) : base) + "/";
  }

  /** The R4 base URL ({@link #baseUrl()} + {@code /R4}); served only with {@link #r4Base}. */
  public String r4BaseUrl() {
    return baseUrl() + R4_PATH;
  }

  /**
   * Serves HTTPS only (TLS 1.3 and 1.2, HSTS) with a PEM certificate chain and an unencrypted
   * PKCS#8 key, read like the syslog TLS listener's ({@link PemFiles}). Call before start.
   */
  public synchronized SearchServer https(Path certificateChain, Path privateKey) {
    requireNotStarted();
    httpsCert = certificateChain;
    httpsKey = privateKey;
    return this;
  }

  /** Cross-origin access for the listed origins only; off by default. Call before start. */
  public synchronized SearchServer cors(CorsSettings settings) {
    requireNotStarted();
    cors = settings;
    return this;
  }

  /**
   * Timeouts and connection limits of the listener ({@link ListenerSettings#DEFAULTS} otherwise).
   * Call before start.
   */
  public synchronized SearchServer listener(ListenerSettings settings) {
    requireNotStarted();
    listener = settings;
    return this;
  }

  /**
   * The FHIR base URL clients reach this server by (behind a proxy, the proxy's), from which every
   * link in a response is built ({@code self}, {@code next}, {@code fullUrl}, {@code Location}); by
   * default the listener's own {@link #baseUrl()}. Never the request's {@code Host} header, which
   * the client chooses (host header injection). Call before start.
   *
   * @param url an absolute http(s) URL without user info, query or fragment, e.g. {@code
   *     https://audit.example.org/fhir}
   */
  public synchronized SearchServer publicBaseUrl(String url) {
    requireNotStarted();
    publicBaseUrl = parsePublicBaseUrl(url);
    return this;
  }

  /** Validates a {@code --public-base-url}; the trailing slash is dropped. */
  public static String parsePublicBaseUrl(String url) {
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("--public-base-url is not a URL: " + url);
    }
    if (!("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
        || uri.getHost() == null
        || uri.getRawUserInfo() != null
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      throw new IllegalArgumentException(
          "--public-base-url must be an absolute http(s) URL without user info, query or fragment, got: "
              + url);
    }
    String s = uri.toString();
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  /** The base links are built from: {@link #publicBaseUrl(String)}, else {@link #baseUrl()}. */
  public String publicBaseUrl() {
    String configured = publicBaseUrl;
    return configured != null ? configured : baseUrl();
  }

  private void requireNotStarted() {
    if (jetty != null) {
      throw new IllegalStateException("configure the server before start");
    }
  }

  public boolean isHttps() {
    return httpsCert != null;
  }

  public synchronized SearchServer start() {
    if (jetty != null) {
      return this;
    }
    HardenedJetty server =
        new HardenedJetty("http", 64, 4, host, requestedPort, listener, httpsCert, httpsKey);
    // links from the configured base, never from the client's Host header
    fhir.setServerAddressStrategy((servletContext, request) -> publicBaseUrl());
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    ServletHolder holder = new ServletHolder("fhir", fhir);
    holder.setInitOrder(1);
    context.addServlet(holder, "/fhir/*");
    RestfulServer r4Server = r4;
    if (r4Server != null) {
      r4Server.setServerAddressStrategy((servletContext, request) -> publicBaseUrl() + R4_PATH);
      ServletHolder r4Holder = new ServletHolder("fhir-r4", r4Server);
      r4Holder.setInitOrder(1);
      context.addServlet(r4Holder, "/fhir" + R4_PATH + "/*");
    }
    context.addFilter(
        new FilterHolder(new SecurityHeadersFilter()), "/*", EnumSet.of(DispatcherType.REQUEST));
    if (consoleSession != null) {
      context.addFilter(
          new FilterHolder(consoleSession), "/fhir/*", EnumSet.of(DispatcherType.REQUEST));
    }
    if (console != null) {
      context.addServlet(new ServletHolder("console", console), "/");
    }
    HttpServlet sockets = subscriptionSockets;
    if (sockets != null) {
      JettyWebSocketServletContainerInitializer.configure(context, null);
      context.addServlet(new ServletHolder("subscription-websocket", sockets), WEBSOCKET_PATH);
    }
    if (authentication != null) {
      context.addFilter(
          new FilterHolder(
              sockets == null ? authentication : new ExceptPath(WEBSOCKET_PATH, authentication)),
          "/fhir/*",
          EnumSet.of(DispatcherType.REQUEST));
    }
    if (accessLogIntake != null) {
      if (authentication == null) {
        throw new IllegalStateException("the access log intake needs authenticateWith(filter)");
      }
      mount(context, accessLogIntake, authentication);
    }
    textEndpoints.forEach(
        (path, endpoint) ->
            context.addServlet(new ServletHolder(path, new TextServlet(endpoint)), path));
    try {
      server.start(cors.enabled() ? crossOrigin(context) : context);
    } catch (Exception e) {
      throw new IllegalStateException(
          "cannot start the FHIR server on " + host + ":" + requestedPort + ": " + e.getMessage(),
          e);
    }
    jetty = server;
    guard = server.connections;
    port = server.localPort();
    LOG.info("FHIR server listening on {}", baseUrl());
    if (r4Server != null) {
      LOG.info("FHIR R4 base (ITI-81 on R4) at {}", r4BaseUrl());
    }
    return this;
  }

  public int port() {
    return port;
  }

  public String baseUrl() {
    String h = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
    return (httpsCert == null ? "http://" : "https://")
        + (h.contains(":") ? "[" + h + "]" : h)
        + ":"
        + port
        + "/fhir";
  }

  public InetSocketAddress address() {
    return new InetSocketAddress(host, port);
  }

  /**
   * Connections closed for exceeding the per-address limit, and for not completing a header in
   * time.
   */
  public long connectionsRefused() {
    ConnectionGuard g = guard;
    return g == null ? 0 : g.refused();
  }

  /** Open HTTP connections, counted per address. */
  public int connectionsOpen() {
    ConnectionGuard g = guard;
    return g == null ? 0 : g.open();
  }

  public long connectionsCut() {
    ConnectionGuard g = guard;
    return g == null ? 0 : g.cut();
  }

  public boolean check() {
    HardenedJetty s = jetty;
    return s != null && s.isStarted();
  }

  /** Puts the intake at its path behind {@code authentication}. */
  static void mount(ServletContextHandler context, HttpServlet intake, Filter authentication) {
    context.addServlet(new ServletHolder("access-log-intake", intake), AccessLogIntakeServlet.PATH);
    context.addFilter(
        new FilterHolder(authentication),
        AccessLogIntakeServlet.PATH,
        EnumSet.of(DispatcherType.REQUEST));
  }

  private Handler crossOrigin(Handler next) {
    CrossOriginHandler handler = new CrossOriginHandler();
    handler.setAllowedOriginPatterns(
        cors.origins().stream().map(Pattern::quote).collect(Collectors.toSet()));
    handler.setAllowedMethods(cors.methods());
    handler.setAllowedHeaders(cors.headers());
    handler.setExposedHeaders(Set.of("Location", "Content-Location", "ETag", "WWW-Authenticate"));
    handler.setAllowCredentials(false); // bearer tokens, never cookies
    handler.setPreflightMaxAge(Duration.ofMinutes(10));
    handler.setHandler(next);
    return handler;
  }

  /**
   * {@code filter} for every request but those of one exact path (the websocket upgrade, which
   * authenticates by its binding token).
   */
  private static final class ExceptPath implements Filter {
    private final String path;
    private final Filter filter;

    ExceptPath(String path, Filter filter) {
      this.path = path;
      this.filter = filter;
    }

    @Override
    public void init(jakarta.servlet.FilterConfig config) throws jakarta.servlet.ServletException {
      filter.init(config);
    }

    @Override
    public void doFilter(
        jakarta.servlet.ServletRequest request,
        jakarta.servlet.ServletResponse response,
        jakarta.servlet.FilterChain chain)
        throws IOException, jakarta.servlet.ServletException {
      if (request instanceof HttpServletRequest http && path.equals(http.getRequestURI())) {
        chain.doFilter(request, response);
      } else {
        filter.doFilter(request, response, chain);
      }
    }

    @Override
    public void destroy() {
      filter.destroy();
    }
  }

  /** A GET-only servlet writing one supplier's text. */
  private static final class TextServlet extends HttpServlet {
    private final transient TextEndpoint endpoint;

    TextServlet(TextEndpoint endpoint) {
      this.endpoint = endpoint;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      TextReply reply = endpoint.reply().get();
      byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
      resp.setStatus(reply.status());
      resp.setContentType(endpoint.contentType());
      resp.setContentLength(body.length);
      resp.getOutputStream().write(body);
    }
  }

  @Override
  public synchronized void close() {
    HardenedJetty s = jetty;
    jetty = null;
    if (s != null) {
      s.stop(LOG, "FHIR server");
    }
  }
}
