package org.atnabridge.search.security;

import ca.uhn.fhir.rest.server.RestfulServer;
import jakarta.servlet.Filter;
import java.time.Clock;
import org.atnabridge.search.feed.AuditEventFeed;
import org.atnabridge.search.selfaudit.RequestScrubber;
import org.atnabridge.search.selfaudit.SecurityAlerts;
import org.atnabridge.store.AuditEventSearch;
import org.jspecify.annotations.Nullable;

/**
 * The access-control parts of one API, built from one {@link AuthSettings}: the servlet filter that
 * authenticates ({@link #authentication}), the HAPI interceptors that check scopes and describe the
 * security in the CapabilityStatement ({@link #register}), and the view of the store every provider
 * gets ({@link #visible}).
 */
public final class ApiSecurity {

  private final AuthSettings settings;
  private final @Nullable SecurityAlerts alerts;
  private final RequestScrubber scrubber;

  public ApiSecurity(AuthSettings settings, @Nullable AuditEventFeed feed) {
    this(settings, feed, RequestScrubber.DEFAULT);
  }

  /**
   * @param feed where Security Alerts for refused requests go ({@code audit.events}); null only for
   *     a server without a feed, whose refusals are then only logged
   * @param scrubber how refused requests are written into alerts and the log; give the self-audit
   *     the same one ({@code ApiSettings#scrubber})
   */
  public ApiSecurity(
      AuthSettings settings, @Nullable AuditEventFeed feed, RequestScrubber scrubber) {
    this.settings = settings;
    this.alerts = feed == null ? null : new SecurityAlerts(feed);
    this.scrubber = scrubber;
  }

  public AuthSettings settings() {
    return settings;
  }

  public AuditEventSearch visible(AuditEventSearch store) {
    return new SecuredAuditEventSearch(store, settings);
  }

  public void register(RestfulServer server) {
    server
        .getInterceptorService()
        .registerAnonymousInterceptor(ScopeInterceptor.POINTCUT, new ScopeInterceptor());
    server.registerInterceptor(new SmartCapabilityInterceptor());
  }

  /** The filter for {@code /fhir/*}: give it to {@code SearchServer#authenticateWith}. */
  public Filter authentication(String repository, Clock clock) {
    return new AuthenticationFilter(settings, alerts, repository, clock, scrubber);
  }

  public @Nullable SecurityAlerts alerts() {
    return alerts;
  }
}
