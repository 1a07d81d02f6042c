package org.atnabridge.accesslog;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Where a line came from, for what the line itself does not say.
 *
 * @param hostname the syslog HOSTNAME, when the line came by syslog
 * @param peer the sender's address (syslog or HTTP peer)
 * @param receivedAt receive time: the recorded time of a line that carries none
 */
public record LineOrigin(@Nullable String hostname, @Nullable String peer, Instant receivedAt) {

  public static LineOrigin offline(Instant now) {
    return new LineOrigin(null, null, now);
  }
}
