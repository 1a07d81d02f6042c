package org.atnabridge.ingest;

import java.util.Collection;
import java.util.Set;
import org.atnabridge.schemas.Topics;
import org.atnabridge.schemas.scrub.IntakeScrubber;
import org.jspecify.annotations.Nullable;

/**
 * Which syslog frames are HTTP access log lines: those whose APP-NAME (RFC 5424) or TAG (RFC 3164)
 * is one of the configured access log tags ({@link SyslogAppName}). They go to {@link
 * Topics#ACCESSLOG_RAW} with the tag as their source, after the values of secret query parameters
 * are masked ({@link IntakeScrubber}); every other frame goes to {@link Topics#ATNA_RAW} as
 * received (ATNA messages are XML and are stored unchanged). Immutable and thread-safe.
 */
public final class AccessLogRouting {

  /** Access log tags unless configured: nginx, Apache httpd (both package names) and Envoy. */
  public static final Set<String> DEFAULT_TAGS = Set.of("nginx", "httpd", "apache2", "envoy");

  /** Masked values counted by each intake; tag {@code intake} ({@code syslog} here). */
  public static final String SCRUBBED = "atna.accesslog.scrubbed";

  private final Set<String> tags;
  private final IntakeScrubber scrubber;

  /**
   * @param tags APP-NAME / TAG values (exact, case-sensitive like the header itself) routed to
   *     {@code accesslog.raw}; empty routes nothing there
   * @param scrubNames query parameters whose values are masked (ASCII case-insensitive)
   */
  public AccessLogRouting(Collection<String> tags, Collection<String> scrubNames) {
    this.tags = Set.copyOf(tags);
    this.scrubber = new IntakeScrubber(Set.copyOf(scrubNames));
  }

  /** {@link #DEFAULT_TAGS}, {@link IntakeScrubber#DEFAULT_SECRET_NAMES}. */
  public static AccessLogRouting defaults() {
    return new AccessLogRouting(DEFAULT_TAGS, IntakeScrubber.DEFAULT_SECRET_NAMES);
  }

  public Set<String> tags() {
    return tags;
  }

  public Set<String> scrubNames() {
    return scrubber.secretNames();
  }

  /**
   * Where the frame goes: an access log frame as a copy with its secrets masked, any other frame
   * itself.
   */
  public Route route(RawMessage message) {
    String source = tags.isEmpty() ? null : SyslogAppName.of(message.payload());
    if (source == null || !tags.contains(source)) {
      return new Route(message, null, 0);
    }
    IntakeScrubber.Scrubbed scrubbed = scrubber.scrub(message.payload());
    RawMessage stored =
        scrubbed.masked() == 0
            ? message
            : new RawMessage(
                scrubbed.bytes(),
                message.transport(),
                message.peerAddress(),
                message.peerPort(),
                message.receivedAt(),
                message.listener(),
                message.framing(),
                message.peerCertSubject());
    return new Route(stored, source, scrubbed.masked());
  }

  /**
   * @param message what to store
   * @param accessLogSource the access log tag, or null for an ATNA frame
   * @param masked values masked in {@code message}
   */
  public record Route(RawMessage message, @Nullable String accessLogSource, int masked) {

    /** {@code accesslog.raw} or {@code atna.raw}. */
    public String topic() {
      return accessLogSource == null ? Topics.ATNA_RAW.name() : Topics.ACCESSLOG_RAW.name();
    }
  }
}
