package org.atnabridge.search.console;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.atnabridge.search.feed.AuditEventFeed;
import org.atnabridge.search.feed.FeedIds;
import org.atnabridge.search.selfaudit.UserAuthenticationEvents;
import org.hl7.fhir.r5.model.AuditEvent;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the console's sign-ins, sign-outs and refused sign-ins (a reused or forged link, a failed
 * OpenID Connect callback: Login with a failure outcome) to the feed as User Authentication
 * AuditEvents: an officer's access to the trail is itself in the trail. The link and the provider's
 * code are credentials and are never part of them. A write that fails is logged and counted; the
 * sign-in goes on (every search it then runs is self-audited, and refused while the feed is down).
 */
public final class SignInAudit {

  private static final Logger LOG = LoggerFactory.getLogger(SignInAudit.class);

  private final AuditEventFeed feed;
  private final String repository;
  private final Clock clock;
  private final AtomicLong failures = new AtomicLong();

  public SignInAudit(AuditEventFeed feed, String repository, Clock clock) {
    this.feed = feed;
    this.repository = repository;
    this.clock = clock;
  }

  void signedIn(String subject, @Nullable String issuer, String address) {
    write(UserAuthenticationEvents.Kind.LOGIN, subject, issuer, address, null);
  }

  void signedOut(String subject, @Nullable String issuer, String address) {
    write(UserAuthenticationEvents.Kind.LOGOUT, subject, issuer, address, null);
  }

  /** A refused sign-in: {@code reason} is for the officer reading the trail. */
  void refused(String address, @Nullable String issuer, String reason) {
    write(UserAuthenticationEvents.Kind.LOGIN, "unauthenticated", issuer, address, reason);
  }

  /** Writes that failed. */
  public long failures() {
    return failures.get();
  }

  private void write(
      UserAuthenticationEvents.Kind kind,
      String subject,
      @Nullable String issuer,
      String address,
      @Nullable String refusal) {
    AuditEvent event =
        UserAuthenticationEvents.of(
            new UserAuthenticationEvents.SignIn(
                kind, subject, issuer, address, repository, clock.instant(), refusal));
    event.setId(FeedIds.contentId(event));
    try {
      feed.publish(List.of(event));
    } catch (RuntimeException e) {
      failures.incrementAndGet();
      LOG.error("console sign-in audit could not be written: {}", e.toString());
    }
  }
}
