package org.atnabridge.allinone;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpClient;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.atnabridge.allinone.health.HealthCheck;
import org.atnabridge.allinone.health.HealthEndpoints;
import org.atnabridge.allinone.health.Readiness;
import org.atnabridge.schemas.chain.ChainVerifier;
import org.atnabridge.search.ApiSettings;
import org.atnabridge.search.ChainVerificationProvider;
import org.atnabridge.search.FhirServerFactory;
import org.atnabridge.search.SearchServer;
import org.atnabridge.search.console.Console;
import org.atnabridge.search.console.ConsoleSessions;
import org.atnabridge.search.console.KafkaSavedSearches;
import org.atnabridge.search.console.OidcClient;
import org.atnabridge.search.console.SignInAudit;
import org.atnabridge.search.feed.KafkaAuditEventFeed;
import org.atnabridge.search.intake.AccessLogIntakeServlet;
import org.atnabridge.search.intake.KafkaAccessLogWriter;
import org.atnabridge.search.security.ApiSecurity;
import org.atnabridge.search.security.AuthSettings;
import org.atnabridge.search.security.KeySources;
import org.atnabridge.search.security.LocalIssuer;
import org.atnabridge.search.security.OidcProvider;
import org.atnabridge.search.subscription.Subscriptions;
import org.atnabridge.store.AuditStore;
import org.atnabridge.store.StoreHealth;
import org.atnabridge.store.indexer.AuditIndexer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code atna-bridge api}: the FHIR R5 server over a store (ITI-81 search, read, {@code $verify}),
 * its Feed and self-audit records to {@code audit.posted} (the streams write them to {@code
 * audit.events}), FHIR R5 Subscriptions ({@code audit.subscriptions}, rest-hook delivery of {@code
 * audit.notifications}, the websocket channel at {@code /fhir/websocket}), {@code POST
 * /ingest/access-logs} to {@code accesslog.raw}, and on the same port the unauthenticated {@code
 * /health/live}, {@code /health/ready} and {@code /metrics}.
 */
final class ApiService implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ApiService.class);
  private static final Duration CHECKPOINT_READ_TIMEOUT = Duration.ofSeconds(10);

  private final Parts parts = new Parts();
  private final AuditStore store;
  private @Nullable SearchServer server;
  private volatile @Nullable Subscriptions subscriptions;

  private ApiService(AuditStore store) {
    this.store = store;
  }

  /**
   * @param store searched, not owned: the caller closes it
   * @param checkpointKey the key checkpoints are signed with, or null to verify hashes and links
   *     only
   * @param readiness the process's checks, to which this adds {@code store}; served at {@code
   *     /health/ready}
   */
  static ApiService start(
      PipelineConfig config,
      String bootstrap,
      AuditStore store,
      @Nullable PublicKey checkpointKey,
      Readiness readiness,
      PrometheusMeterRegistry registry) {
    ApiService service = new ApiService(store);
    try {
      service.open(config, bootstrap, checkpointKey, readiness.add(service.checks()), registry);
      return service;
    } catch (RuntimeException e) {
      service.close();
      throw e;
    }
  }

  private void open(
      PipelineConfig config,
      String bootstrap,
      @Nullable PublicKey checkpointKey,
      Readiness readiness,
      PrometheusMeterRegistry registry) {
    // the FHIR Feed and the self-audit records go to audit.posted; the streams write them to
    // audit.events
    KafkaAuditEventFeed feed =
        parts.add(
            new KafkaAuditEventFeed(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap)));
    ApiConfig api = config.api();
    ApiSecurity security = new ApiSecurity(authSettings(config), feed, api.edge().scrubber());
    // POST /ingest/access-logs on the same port: lines to accesslog.raw
    KafkaAccessLogWriter accessLogs =
        parts.add(
            new KafkaAccessLogWriter(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap)));
    ApiSettings settings =
        ApiSettings.DEFAULTS
            .withRequireDateWindow(config.requireDateWindow())
            .withMaxRequestBytes(config.maxRequestBytes())
            .withScrubber(api.edge().scrubber())
            .withSoftwareVersion(api.edge().softwareVersion());
    // FHIR R5 Subscriptions: audit.subscriptions read whole, audit.notifications delivered in
    // one consumer group across the API nodes; links from the server's base once it started
    SearchServer[] started = new SearchServer[1];
    Subscriptions subs =
        parts.add(
            Subscriptions.start(
                bootstrap,
                config.subscriptions(),
                api.patientIdentifierSystem(),
                registry,
                () -> Pipeline.require(started[0], "FHIR server").publicBaseUrl(),
                Clock.systemUTC()));
    subscriptions = subs;
    SearchServer search =
        new SearchServer(
                config.httpHost(),
                config.httpPort(),
                // AuditEvent/{id}/$raw: the original record, read from the raw topics
                Console.withRawRecords(
                    FhirServerFactory.create(
                        store.search(),
                        feed,
                        Clock.systemUTC(),
                        visible ->
                            new ChainVerificationProvider(
                                visible,
                                checkpointKey == null
                                    ? List::of
                                    : () ->
                                        VerifyCommand.readCheckpoints(
                                            bootstrap, CHECKPOINT_READ_TIMEOUT),
                                checkpointKey,
                                () ->
                                    IndexerProgress.read(
                                        bootstrap,
                                        AuditIndexer.DEFAULT_GROUP,
                                        CHECKPOINT_READ_TIMEOUT),
                                ChainVerifier.DEFAULT_PENDING_BOUND,
                                v -> DurationConverter.parse("pendingBound", v),
                                api.edge().verify()),
                        settings,
                        security,
                        subs),
                    security.visible(store.search()),
                    bootstrap))
            // ITI-81 and the FHIR Feed on R4 at /fhir/R4: same store, security and self-audit
            .r4Base(
                FhirServerFactory.createR4(
                    store.search(), feed, Clock.systemUTC(), settings, security))
            .authenticateWith(
                security.authentication(FhirServerFactory.REPOSITORY_NAME, Clock.systemUTC()))
            .accessLogIntake(accessLogIntake(config, accessLogs, registry))
            // the websocket channel of Subscriptions at /fhir/websocket (bind-with-token)
            .subscriptionSockets(subs.socketServlet())
            .cors(api.cors())
            .listener(api.edge().listener())
            .addTextEndpoint(HealthEndpoints.METRICS, HealthEndpoints.PROMETHEUS, registry::scrape)
            .addStatusEndpoint(HealthEndpoints.LIVE, HealthEndpoints.JSON, HealthEndpoints::live)
            .addStatusEndpoint(
                HealthEndpoints.READY,
                HealthEndpoints.JSON,
                () -> HealthEndpoints.ready(readiness));
    if (api.httpsCert() != null && api.httpsKey() != null) {
      search.https(api.httpsCert(), api.httpsKey());
    }
    if (api.edge().publicBaseUrl() != null) {
      search.publicBaseUrl(api.edge().publicBaseUrl());
    }
    // the officers' console at /, signed in by the local issuer's one-time links, or by the
    // external provider when the console is its client
    OidcClient oidcClient = api.oidcClient();
    boolean consoleMounted = oidcClient != null || api.localIssuer();
    // saved searches in a compacted topic: every API node serves the same list
    KafkaSavedSearches savedSearches =
        consoleMounted
            ? parts.add(
                KafkaSavedSearches.start(bootstrap, Clock.systemUTC(), Duration.ofSeconds(30)))
            : null;
    // officers' sign-ins are audited like their searches
    SignInAudit signInAudit =
        new SignInAudit(feed, FhirServerFactory.REPOSITORY_NAME, Clock.systemUTC());
    if (oidcClient != null) {
      Console.mountOidc(
          search,
          discovered(api),
          oidcClient,
          security.settings(),
          config.dataDir(),
          Clock.systemUTC(),
          savedSearches,
          signInAudit);
    }
    Console console =
        api.localIssuer()
            ? Console.mount(
                search,
                LocalIssuer.openOrCreate(config.keysDir()),
                security.settings(),
                config.dataDir(),
                Clock.systemUTC(),
                savedSearches,
                signInAudit)
            : null;
    parts.add(search);
    started[0] = search;
    search.start();
    server = search;
    LOG.info("ready: FHIR server on {} (R4: {})", search.baseUrl(), search.r4BaseUrl());
    if (oidcClient != null) {
      LOG.info(
          "ready: console on {} (sign in with {} as client {}; redirect URI {})",
          search.consoleUrl(),
          api.oidcIssuer(),
          oidcClient.clientId(),
          Console.oidcRedirectUri(search.consoleUrl()));
    }
    if (console != null) {
      LOG.info(
          "ready: console on {} (sign in once within {}: {}; more: atna-bridge login-link)",
          search.consoleUrl(),
          ConsoleSessions.DEFAULT_LINK_TTL.toMinutes() + " min",
          console.started(search.consoleUrl(), System.getProperty("user.name", "officer")));
    }
    if (api.allowUnauthenticated()) {
      LOG.warn(
          "--dev-allow-unauthenticated: requests without a token are served as an unrestricted caller; "
              + "local development only");
    }
    if (config.allowRemoteUnauthenticated()) {
      LOG.warn("--dev-allow-unauthenticated-remote is set; local development only");
    }
    if (api.localIssuer()) {
      LOG.info(
          "FHIR API tokens: atna-bridge token --data-dir {} --scope \"system/AuditEvent.rs\" "
              + "(then curl -H \"Authorization: Bearer $TOKEN\" {}/AuditEvent)",
          config.dataDir(),
          search.baseUrl());
    } else {
      LOG.info("FHIR API tokens: from {} (audience {})", api.oidcIssuer(), api.oidcAudience());
    }
  }

  /** The discovery document of {@code --oidc-issuer}, fetched and checked (fails the start). */
  static OidcProvider discovered(ApiConfig api) {
    return OidcProvider.discover(
        Objects.requireNonNull(api.oidcIssuer()),
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(java.time.Duration.ofSeconds(10))
            .build());
  }

  /**
   * {@code POST /ingest/access-logs}: masks {@code --access-log-scrub}, bodies up to {@code
   * --max-request-bytes}.
   */
  static AccessLogIntakeServlet accessLogIntake(
      PipelineConfig config, KafkaAccessLogWriter writer, MeterRegistry registry) {
    return new AccessLogIntakeServlet(
        writer,
        Set.copyOf(config.accessLogIntake().scrub()),
        config.maxRequestBytes(),
        registry,
        Clock.systemUTC());
  }

  /**
   * The token checks of the API (and of {@code ingest --ingest-http-port}): the local issuer's key
   * (created on first start) or an external provider's.
   */
  static AuthSettings authSettings(PipelineConfig config) {
    ApiConfig api = config.api();
    AuthSettings base;
    if (api.localIssuer()) {
      base = LocalIssuer.openOrCreate(config.keysDir()).settings();
    } else {
      base =
          AuthSettings.of(
              Objects.requireNonNull(api.oidcIssuer()),
              api.oidcAudience(),
              api.oidcJwksUrl() != null
                  ? KeySources.jwksUrl(api.oidcJwksUrl())
                  : api.oidcKeyFile() != null
                      ? KeySources.file(api.oidcKeyFile())
                      : KeySources.jwksUrl(discovered(api).jwksUri()));
    }
    return new AuthSettings(
        base.issuer(),
        api.localIssuer() ? base.audience() : api.oidcAudience(),
        base.keys(),
        api.clockSkew(),
        api.patientClaim(),
        api.clearanceClaim(),
        api.patientIdentifierSystem(),
        api.deniedRead(),
        api.allowUnauthenticated());
  }

  /**
   * {@code store}: the store answers searches; {@code subscriptions}: the view of {@code
   * audit.subscriptions} caught up and delivery runs.
   */
  private List<HealthCheck> checks() {
    return List.of(
        new HealthCheck(
            "store",
            () -> {
              StoreHealth health = store.check();
              return health.ok() ? null : "store: " + health.reason();
            }),
        new HealthCheck(
            "subscription-delivery",
            () -> {
              Subscriptions s = subscriptions;
              return s == null || s.ready() ? null : "subscriptions: not caught up or not running";
            }));
  }

  SearchServer server() {
    return Pipeline.require(server, "FHIR server");
  }

  @Override
  public void close() {
    parts.close();
    server = null;
  }
}
