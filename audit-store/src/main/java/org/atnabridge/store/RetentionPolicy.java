package org.atnabridge.store;

import static org.atnabridge.schemas.vocab.CodeSystems.LEGAL_HOLD;
import static org.atnabridge.schemas.vocab.CodeSystems.RETENTION;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * How long events are kept, by {@code recorded}: events older than {@code maxAge} are deleted by
 * {@link AuditStore#applyRetention}, except events tagged with {@link #legalHoldSystem()}|{@link
 * #legalHoldCode()} in {@code meta.tag}, which are never deleted. Off by default ({@link #OFF}): an
 * audit repository deletes nothing unless an operator decided so.
 *
 * <p>Elasticsearch deletes whole monthly indices (a month goes once its last day is older than
 * {@code maxAge}), so it may keep up to a month longer than {@code maxAge}; held events of such a
 * month are first copied to the hold index. Lucene deletes by query, exactly at {@code maxAge}.
 */
public record RetentionPolicy(Duration maxAge, String legalHoldSystem, String legalHoldCode) {

  /** Keep everything. */
  public static final RetentionPolicy OFF =
      new RetentionPolicy(Duration.ZERO, RETENTION, LEGAL_HOLD);

  public RetentionPolicy {
    Objects.requireNonNull(maxAge, "maxAge");
    Objects.requireNonNull(legalHoldSystem, "legalHoldSystem");
    Objects.requireNonNull(legalHoldCode, "legalHoldCode");
    if (maxAge.isNegative()) {
      throw new IllegalArgumentException("maxAge < 0: " + maxAge);
    }
  }

  /** Delete what is older than {@code maxAge}; the default legal-hold tag protects. */
  public static RetentionPolicy maxAge(Duration maxAge) {
    if (maxAge.isZero()) {
      throw new IllegalArgumentException("maxAge is zero: use OFF to keep everything");
    }
    return new RetentionPolicy(maxAge, RETENTION, LEGAL_HOLD);
  }

  public boolean enabled() {
    return !maxAge.isZero();
  }

  /** Events recorded before this instant are expired at {@code now}. */
  public Instant cutoff(Instant now) {
    return now.minus(maxAge);
  }
}
