package org.atnabridge.search;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.RestfulServer;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.function.Function;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.search.feed.AuditEventFeed;
import org.atnabridge.search.feed.FeedBundleProvider;
import org.atnabridge.search.feed.RequestBodyGate;
import org.atnabridge.search.r4.R4AuditEventProvider;
import org.atnabridge.search.r4.R4CapabilityStatementInterceptor;
import org.atnabridge.search.r4.R4FeedBundleProvider;
import org.atnabridge.search.r4.R4Outcomes;
import org.atnabridge.search.r4.R4SearchParameters;
import org.atnabridge.search.report.AccessReportProvider;
import org.atnabridge.search.report.AuditStatsProvider;
import org.atnabridge.search.report.UserActivityReportProvider;
import org.atnabridge.search.security.ApiSecurity;
import org.atnabridge.search.selfaudit.SelfAuditInterceptor;
import org.atnabridge.search.subscription.Subscriptions;
import org.atnabridge.store.AuditEventSearch;
import org.jspecify.annotations.Nullable;

/**
 * Composes the HAPI {@link RestfulServer}: providers, interceptors, stateless paging. Only the
 * overload taking an {@link ApiSecurity} checks access; the others serve whatever the store holds
 * and are for tests and embedding behind another gate. {@code serve} always uses the secured one.
 */
public final class FhirServerFactory {

  public static final int DEFAULT_PAGE_SIZE = 50;
  public static final int MAX_PAGE_SIZE = 1000;

  /** How this repository names itself as {@code source.observer} of the records it writes. */
  public static final String REPOSITORY_NAME = "atna-bridge";

  /**
   * Largest request body by default (5 MiB); larger ones get 413 ({@link
   * ApiSettings#maxRequestBytes()}).
   */
  public static final long DEFAULT_MAX_REQUEST_BYTES = RequestBodyGate.DEFAULT_MAX_REQUEST_BYTES;

  private FhirServerFactory() {}

  /** A read-only server: search and read, no FHIR Feed. */
  public static RestfulServer create(AuditEventSearch search) {
    return create(search, null, Clock.systemUTC());
  }

  /**
   * @param feed where POSTed AuditEvents and Bundles go ({@code audit.events}); null for a
   *     read-only server
   */
  public static RestfulServer create(
      AuditEventSearch search, @Nullable AuditEventFeed feed, Clock clock) {
    return create(search, feed, clock, new ChainVerificationProvider(search));
  }

  /**
   * @param verification {@code $verify}; give it the checkpoints and their public key so that it
   *     checks signatures as {@code atna-bridge verify} does, not only hashes and links
   */
  public static RestfulServer create(
      AuditEventSearch search,
      @Nullable AuditEventFeed feed,
      Clock clock,
      ChainVerificationProvider verification) {
    return create(search, feed, clock, verification, ApiSettings.DEFAULTS);
  }

  /**
   * @param settings page sizes, the optional date-window rule and the request body limit
   */
  public static RestfulServer create(
      AuditEventSearch search,
      @Nullable AuditEventFeed feed,
      Clock clock,
      ChainVerificationProvider verification,
      ApiSettings settings) {
    RestfulServer server = new QuietRestfulServer(new RequestBodyGate(settings.maxRequestBytes()));
    server.setFhirContext(Fhir.context());
    server.setServerName("ATNA Bridge");
    server.setImplementationDescription("ATNA Bridge audit record repository");
    server.setDefaultResponseEncoding(EncodingEnum.JSON);
    server.registerProvider(new AuditEventResourceProvider(search, settings, feed, clock));
    server.registerProvider(verification); // GET AuditEvent/$verify: the hash-chain check
    // reports read only through `search`, so whatever restricts it restricts them too
    server.registerProvider(new AccessReportProvider(search)); // Patient/$access-report
    server.registerProvider(new AuditStatsProvider(search)); // AuditEvent/$stats
    server.registerProvider(
        new UserActivityReportProvider(search)); // $user-activity-report (server level)
    if (feed != null) {
      server.registerProvider(new FeedBundleProvider(feed, clock));
      // an ARR audits the use of its own store (ITI-20 Audit-Log-Used); only a read-only test
      // server built without a feed runs without it
      server.registerInterceptor(
          new SelfAuditInterceptor(feed, REPOSITORY_NAME, clock, settings.scrubber()));
    }
    // unknown search parameters: 400 under Prefer: handling=strict, otherwise dropped and reported
    server.registerInterceptor(new UnknownParameterInterceptor());
    // the CapabilityStatement lists what works: no create on a server without a feed
    server.registerInterceptor(
        new CapabilityStatementInterceptor(feed != null, settings.softwareVersion()));
    // audit records are evidence: no update, patch, delete or history, whatever the client tries
    server.registerInterceptor(new ImmutabilityInterceptor());
    // no internals (exception text, stack traces) in responses to clients
    server.registerInterceptor(new ExceptionSanitizingInterceptor());
    // integer64 as R5 JSON strings (HAPI's encoder writes numbers): every report count is one
    server.registerInterceptor(new Integer64JsonInterceptor());
    // no paging provider: search pages carry the store cursor in their next links (CursorPages),
    // so nothing is held between pages and any instance answers any page
    return server;
  }

  /**
   * A server whose every provider (search, read, $verify, $access-report, $stats,
   * $user-activity-report) sees the store only through {@code security}'s view (patient
   * compartment, label clearance), with the scope checks registered. The caller must also put
   * {@link ApiSecurity#authentication} in front of the servlet ({@code SearchServer}).
   *
   * @param verification builds {@code $verify} over the secured view it is given
   */
  public static RestfulServer create(
      AuditEventSearch store,
      @Nullable AuditEventFeed feed,
      Clock clock,
      Function<AuditEventSearch, ChainVerificationProvider> verification,
      ApiSettings settings,
      ApiSecurity security) {
    return create(store, feed, clock, verification, settings, security, null);
  }

  /**
   * The secured server with FHIR R5 topic-based Subscriptions: {@code /SubscriptionTopic} and
   * {@code /Subscription} ({@code $status}, {@code $events}), under the same scope checks and
   * self-audit.
   *
   * @param subscriptions null for a server without subscriptions
   */
  public static RestfulServer create(
      AuditEventSearch store,
      @Nullable AuditEventFeed feed,
      Clock clock,
      Function<AuditEventSearch, ChainVerificationProvider> verification,
      ApiSettings settings,
      ApiSecurity security,
      @Nullable Subscriptions subscriptions) {
    AuditEventSearch visible =
        security.visible(store); // the one wrapping: nothing below sees the raw store
    RestfulServer server = create(visible, feed, clock, verification.apply(visible), settings);
    if (subscriptions != null) {
      subscriptions.register(server);
    }
    security.register(server);
    return server;
  }

  /** The secured server with the default {@link ApiSettings}. */
  public static RestfulServer create(
      AuditEventSearch store,
      @Nullable AuditEventFeed feed,
      Clock clock,
      Function<AuditEventSearch, ChainVerificationProvider> verification,
      ApiSecurity security) {
    return create(store, feed, clock, verification, ApiSettings.DEFAULTS, security);
  }

  /**
   * The R4 base ({@code /fhir/R4}, ITI-81 and the FHIR Feed on R4) over the same store: read,
   * search and create of AuditEvent and feed Bundles, with the R5 base's search, paging,
   * self-audit, immutability, unknown-parameter handling and error sanitizing, each event as its R4
   * projection. Mount it with {@code SearchServer#r4Base}.
   *
   * @param security the R5 base's; null only for a test server without access control
   */
  public static RestfulServer createR4(
      AuditEventSearch store,
      @Nullable AuditEventFeed feed,
      Clock clock,
      ApiSettings settings,
      @Nullable ApiSecurity security) {
    AuditEventSearch visible = security == null ? store : security.visible(store);
    RestfulServer server =
        new QuietRestfulServer(RequestBodyGate.forR4Base(settings.maxRequestBytes()));
    server.setFhirContext(FhirContext.forR4Cached());
    server.setServerName("ATNA Bridge");
    server.setImplementationDescription("ATNA Bridge audit record repository (FHIR R4)");
    server.setDefaultResponseEncoding(EncodingEnum.JSON);
    server.registerProvider(
        new R4AuditEventProvider(
            new AuditEventResourceProvider(visible, settings, feed, clock), feed, clock));
    if (feed != null) {
      server.registerProvider(new R4FeedBundleProvider(new FeedBundleProvider(feed, clock)));
      server.registerInterceptor(
          new SelfAuditInterceptor(feed, REPOSITORY_NAME, clock, settings.scrubber()));
    }
    server.registerInterceptor(new UnknownParameterInterceptor(R4SearchParameters.NAMES));
    server.registerInterceptor(
        new R4CapabilityStatementInterceptor(feed != null, settings.softwareVersion()));
    server.registerInterceptor(new ImmutabilityInterceptor());
    server.registerInterceptor(new R4Outcomes()); // before the sanitizer: HAPI stops at the first
    server.registerInterceptor(new ExceptionSanitizingInterceptor());
    if (security != null) {
      security.register(server);
    }
    return server;
  }

  /**
   * Drops HAPI's {@code X-Powered-By} header, which names the library and its version, and puts
   * every request through the {@link RequestBodyGate} (size limit, R4 intake) before HAPI reads it.
   */
  private static final class QuietRestfulServer extends RestfulServer {
    private static final long serialVersionUID = 1L;
    private final transient RequestBodyGate bodies;

    QuietRestfulServer(RequestBodyGate bodies) {
      this.bodies = bodies;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
        throws ServletException, IOException {
      HttpServletRequest admitted = bodies.admit(request, response);
      if (admitted != null) {
        super.service(admitted, response);
      }
    }

    @Override
    public void addHeadersToResponse(HttpServletResponse response) {
      // deliberately empty: no product or version banner
    }
  }
}
