package org.atnabridge.search.console;

import ca.uhn.fhir.rest.server.RestfulServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.atnabridge.search.SearchServer;
import org.atnabridge.search.security.AuthSettings;
import org.atnabridge.search.security.IdTokenValidator;
import org.atnabridge.search.security.LocalIssuer;
import org.atnabridge.search.security.OidcProvider;
import org.atnabridge.store.AuditEventSearch;
import org.jspecify.annotations.Nullable;

/**
 * The console of one API process, on the local issuer or an external OpenID Connect provider
 * ({@link #mountOidc}). On the local issuer: its state under {@code <data-dir>/console/}, mounted
 * on a {@link SearchServer}, and the sign-in links printed for it.
 */
public final class Console {

  /** Under the data dir: the console's state and the URL {@code login-link} builds links to. */
  public static final String DIR = "console";

  static final String URL_FILE = "url";

  /** The scopes of a sign-in link unless told otherwise: read and search audit events. */
  public static final String DEFAULT_SCOPE = "user/AuditEvent.rs";

  private final LocalIssuer issuer;
  private final Path dir;

  private Console(LocalIssuer issuer, Path dir) {
    this.issuer = issuer;
    this.dir = dir;
  }

  /**
   * Mounts the console on {@code server} (before its start).
   *
   * @param api the API's token settings, which trust {@code issuer}
   */
  public static Console mount(
      SearchServer server, LocalIssuer issuer, AuthSettings api, Path dataDir, Clock clock) {
    return mount(server, issuer, api, dataDir, clock, null);
  }

  /**
   * Mounts the console on {@code server} (before its start), with saved searches.
   *
   * @param api the API's token settings, which trust {@code issuer}
   * @param savedSearches where {@code /console/saved-searches} keeps them; null: none
   */
  public static Console mount(
      SearchServer server,
      LocalIssuer issuer,
      AuthSettings api,
      Path dataDir,
      Clock clock,
      @Nullable SavedSearches savedSearches) {
    return mount(server, issuer, api, dataDir, clock, savedSearches, null);
  }

  /**
   * Mounts the console on {@code server} (before its start), with saved searches and sign-ins
   * audited.
   *
   * @param audit where sign-ins, sign-outs and refused sign-ins are recorded; null: only logged
   */
  public static Console mount(
      SearchServer server,
      LocalIssuer issuer,
      AuthSettings api,
      Path dataDir,
      Clock clock,
      @Nullable SavedSearches savedSearches,
      @Nullable SignInAudit audit) {
    Path dir = dataDir.resolve(DIR);
    ConsoleSessions sessions =
        new ConsoleSessions(
            issuer, api, new ConsoleState(dir, clock), ConsoleSessions.DEFAULT_SESSION_TTL, clock);
    SessionCookie cookie = new SessionCookie(server.isHttps());
    server.console(
        new ConsoleServlet(sessions, cookie, null, server::consoleUrl, savedSearches, audit),
        new ConsoleSessionFilter(sessions, cookie));
    return new Console(issuer, dir);
  }

  /**
   * Mounts the console on {@code server} (before its start) signing in with an external OpenID
   * Connect provider: the authorization code flow with PKCE; no sign-in links.
   *
   * @param api the API's token settings, which trust the provider
   */
  public static void mountOidc(
      SearchServer server,
      OidcProvider provider,
      OidcClient client,
      AuthSettings api,
      Path dataDir,
      Clock clock,
      @Nullable SavedSearches savedSearches) {
    mountOidc(server, provider, client, api, dataDir, clock, savedSearches, null);
  }

  /**
   * As {@link #mountOidc(SearchServer, OidcProvider, OidcClient, AuthSettings, Path, Clock,
   * SavedSearches)}, with sign-ins audited.
   *
   * @param audit where sign-ins, sign-outs and refused sign-ins are recorded; null: only logged
   */
  public static void mountOidc(
      SearchServer server,
      OidcProvider provider,
      OidcClient client,
      AuthSettings api,
      Path dataDir,
      Clock clock,
      @Nullable SavedSearches savedSearches,
      @Nullable SignInAudit audit) {
    ConsoleState state = new ConsoleState(dataDir.resolve(DIR), clock);
    ConsoleSessions sessions = ConsoleSessions.external(api, state, clock);
    SessionCookie cookie = new SessionCookie(server.isHttps());
    OidcSignIn signIn =
        new OidcSignIn(
            provider,
            client,
            sessions,
            state,
            new IdTokenValidator(api, client.clientId()),
            HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10))
                .build(),
            clock);
    server.console(
        new ConsoleServlet(sessions, cookie, signIn, server::consoleUrl, savedSearches, audit),
        new ConsoleSessionFilter(sessions, cookie));
  }

  /** Where the provider must send browsers back: register it with the provider. */
  public static String oidcRedirectUri(String consoleUrl) {
    return (consoleUrl.endsWith("/") ? consoleUrl : consoleUrl + "/")
        + ConsoleServlet.OIDC_CALLBACK;
  }

  /**
   * Records the console's URL in the data dir for {@code atna-bridge login-link}, and returns a
   * sign-in link for {@code subject} with the default scope.
   */
  public String started(String consoleUrl, String subject) {
    try {
      Files.writeString(dir.resolve(URL_FILE), consoleUrl, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record the console URL in " + dir, e);
    }
    return ConsoleSessions.link(
        issuer,
        consoleUrl,
        subject,
        DEFAULT_SCOPE,
        null,
        Set.of(),
        ConsoleSessions.DEFAULT_LINK_TTL);
  }

  /**
   * Adds {@code AuditEvent/{id}/$raw} ({@link RawRecordProvider}) to {@code fhir}, reading the raw
   * topics of {@code bootstrapServers}; before the server starts.
   *
   * @param visible the caller's view of the store ({@code ApiSecurity#visible})
   */
  public static RestfulServer withRawRecords(
      RestfulServer fhir, AuditEventSearch visible, String bootstrapServers) {
    fhir.registerProvider(new RawRecordProvider(visible, new KafkaRawRecords(bootstrapServers)));
    return fhir;
  }

  /** The console URL the last {@code serve} on {@code dataDir} recorded, if any. */
  public static Optional<String> recordedUrl(Path dataDir) {
    Path file = dataDir.resolve(DIR).resolve(URL_FILE);
    try {
      return Files.isReadable(file)
          ? Optional.of(Files.readString(file, StandardCharsets.UTF_8).trim())
          : Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** A sign-in link of the data dir's issuer. */
  public static String link(
      Path dataDir,
      String consoleUrl,
      String subject,
      String scope,
      @Nullable String patient,
      Set<String> clearance,
      Duration ttl) {
    return ConsoleSessions.link(
        LocalIssuer.open(dataDir.resolve("keys")),
        consoleUrl,
        subject,
        scope,
        patient,
        clearance,
        ttl);
  }
}
