package org.atnabridge.search;

import java.util.Objects;
import org.atnabridge.search.feed.RequestBodyGate;
import org.atnabridge.search.selfaudit.RequestScrubber;
import org.atnabridge.store.AuditQuery;

/**
 * Settings of the FHIR search API, validated when built so that a bad value stops the server at
 * start with the setting's name rather than failing requests later.
 *
 * @param defaultPageSize {@code _count} when the client gives none (FHIR leaves it to the server)
 * @param maxPageSize the largest page; a larger {@code _count} is clamped to it, as FHIR allows
 * @param requireDateWindow ITI-81 consumers must send both a lower and an upper {@code date} bound;
 *     when on, an AuditEvent search without both is refused with 400, which keeps an unbounded scan
 *     of the whole audit trail from being a single request away
 * @param maxRequestBytes the largest request body (octets); a larger one is answered 413 before
 *     more than this is read ({@link RequestBodyGate})
 * @param scrubber how requests are written into self-audit records (credential parameters redacted)
 * @param softwareVersion the product version {@code /metadata} states as {@code software.version},
 *     or null to state none (the default: a version tells an attacker which weaknesses to try)
 */
public record ApiSettings(
    int defaultPageSize,
    int maxPageSize,
    boolean requireDateWindow,
    long maxRequestBytes,
    RequestScrubber scrubber,
    @org.jspecify.annotations.Nullable String softwareVersion) {

  /** {@code _count} 50 by default, at most 1000, no date-window rule, bodies up to 5 MiB. */
  public static final ApiSettings DEFAULTS = new ApiSettings(50, AuditQuery.MAX_LIMIT, false);

  /** With the default request body limit (5 MiB). */
  public ApiSettings(int defaultPageSize, int maxPageSize, boolean requireDateWindow) {
    this(
        defaultPageSize, maxPageSize, requireDateWindow, RequestBodyGate.DEFAULT_MAX_REQUEST_BYTES);
  }

  /** With the default credential parameters ({@link RequestScrubber#DEFAULT}). */
  public ApiSettings(
      int defaultPageSize, int maxPageSize, boolean requireDateWindow, long maxRequestBytes) {
    this(
        defaultPageSize,
        maxPageSize,
        requireDateWindow,
        maxRequestBytes,
        RequestScrubber.DEFAULT,
        null);
  }

  public ApiSettings {
    if (maxPageSize < 1 || maxPageSize > AuditQuery.MAX_LIMIT) {
      throw new IllegalArgumentException(
          "maxPageSize must be 1.." + AuditQuery.MAX_LIMIT + ": " + maxPageSize);
    }
    if (defaultPageSize < 1 || defaultPageSize > maxPageSize) {
      throw new IllegalArgumentException(
          "defaultPageSize must be 1..maxPageSize (" + maxPageSize + "): " + defaultPageSize);
    }
    if (maxRequestBytes < RequestBodyGate.MIN_MAX_REQUEST_BYTES
        || maxRequestBytes > RequestBodyGate.MAX_MAX_REQUEST_BYTES) {
      throw new IllegalArgumentException(
          "maxRequestBytes must be "
              + RequestBodyGate.MIN_MAX_REQUEST_BYTES
              + ".."
              + RequestBodyGate.MAX_MAX_REQUEST_BYTES
              + ": "
              + maxRequestBytes);
    }
    Objects.requireNonNull(scrubber, "scrubber");
  }

  public ApiSettings withRequireDateWindow(boolean v) {
    return new ApiSettings(
        defaultPageSize, maxPageSize, v, maxRequestBytes, scrubber, softwareVersion);
  }

  public ApiSettings withMaxRequestBytes(long v) {
    return new ApiSettings(
        defaultPageSize, maxPageSize, requireDateWindow, v, scrubber, softwareVersion);
  }

  public ApiSettings withScrubber(RequestScrubber v) {
    return new ApiSettings(
        defaultPageSize, maxPageSize, requireDateWindow, maxRequestBytes, v, softwareVersion);
  }

  /**
   * @param v the version {@code /metadata} states, or null for none
   */
  public ApiSettings withSoftwareVersion(@org.jspecify.annotations.Nullable String v) {
    return new ApiSettings(
        defaultPageSize,
        maxPageSize,
        requireDateWindow,
        maxRequestBytes,
        scrubber,
        v == null || v.isBlank() ? null : v.trim());
  }
}
