package org.atnabridge.search;

import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.atnabridge.schemas.chain.ChainFinding;
import org.atnabridge.schemas.chain.ChainReport;
import org.atnabridge.schemas.chain.ChainVerifier;
import org.atnabridge.schemas.chain.Checkpoint;
import org.atnabridge.schemas.chain.PendingTail;
import org.atnabridge.schemas.chain.ReceiptTime;
import org.atnabridge.schemas.chain.StoredChains;
import org.atnabridge.store.AuditEventSearch;
import org.atnabridge.store.AuditPage;
import org.atnabridge.store.AuditQuery;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.BooleanType;
import org.hl7.fhir.r5.model.CodeType;
import org.hl7.fhir.r5.model.DateTimeType;
import org.hl7.fhir.r5.model.InstantType;
import org.hl7.fhir.r5.model.Integer64Type;
import org.hl7.fhir.r5.model.IntegerType;
import org.hl7.fhir.r5.model.Parameters;
import org.hl7.fhir.r5.model.StringType;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /fhir/AuditEvent/$verify?start=&end=&pendingBound=}: the hash-chain check of {@code
 * atna-bridge verify} ({@link ChainVerifier}) over the chain positions whose events the repository
 * received in {@code [start, end)} (both optional; none = every stored event), answered as a
 * Parameters resource. The window goes by receipt time ({@link ReceiptTime}), never by {@code
 * recorded} (the sender's clock): per chain it is every position from the first to the last event
 * received in it. A chain is checked for gaps up to what the indexer has durably indexed; the rest
 * is pending ({@code pendingBound}, default 5 min, e.g. {@code 5m} or {@code PT5M}, is how long a
 * received event may stay so before that is a {@code PENDING_OVERDUE} finding).
 *
 * <ul>
 *   <li>{@code intact} (boolean), {@code eventsChecked}, {@code checkpointsChecked} (integer64),
 *       {@code signaturesChecked} (boolean);
 *   <li>{@code pending} (integer64): events chained but not yet indexed, over all chains; present
 *       when the indexer's position is known; with {@code pendingSince} (instant), when the oldest
 *       of them was received, and one {@code pendingChain} per chain with pending events, parts
 *       {@code partition} (integer), {@code fromSeq}, {@code toSeq}, {@code count} (integer64),
 *       {@code oldestReceipt} (instant) and {@code text};
 *   <li>one {@code finding} per problem with parts {@code kind} (code: GAP, ALTERED, REORDERED,
 *       BROKEN_LINK, DUPLICATE_SEQ, UNCHAINED, BAD_SIGNATURE, OTHER_KEY, CHECKPOINT_MISMATCH,
 *       PENDING_OVERDUE), {@code partition} (integer), {@code fromSeq}, {@code toSeq} (integer64),
 *       {@code id} (string, when known), {@code detail} (string) and {@code text} (the line {@code
 *       verify} prints).
 * </ul>
 *
 * Checkpoints come from {@code checkpoints} (e.g. read from {@code audit.checkpoints}) and the
 * pending tails from {@code pending} (the indexer's committed position); with the one-argument
 * constructor there are neither, so only hashes and links are checked, up to the highest stored
 * number.
 */
public final class ChainVerificationProvider {

  private final AuditEventSearch search;
  private final Supplier<List<Checkpoint>> checkpoints;
  private final @Nullable PublicKey trustedKey;
  private final Supplier<List<PendingTail>> pending;
  private final Duration pendingBound;
  private final Function<String, Duration> durations;

  /** Hashes and links only: no checkpoints, no signatures, no indexer position. */
  public ChainVerificationProvider(AuditEventSearch search) {
    this(search, List::of, null);
  }

  /**
   * Without the indexer's position: every chained number up to the highest one seen must be stored.
   */
  public ChainVerificationProvider(
      AuditEventSearch search,
      Supplier<List<Checkpoint>> checkpoints,
      @Nullable PublicKey trustedKey) {
    this(
        search,
        checkpoints,
        trustedKey,
        List::of,
        ChainVerifier.DEFAULT_PENDING_BOUND,
        Duration::parse);
  }

  /**
   * @param pending the pending tail of each chain, read when the operation runs
   * @param pendingBound the bound when the request gives none
   * @param durations reads the {@code pendingBound} parameter ({@code 5m} or {@code PT5M}); throws
   *     IllegalArgumentException naming the problem
   */
  public ChainVerificationProvider(
      AuditEventSearch search,
      Supplier<List<Checkpoint>> checkpoints,
      @Nullable PublicKey trustedKey,
      Supplier<List<PendingTail>> pending,
      Duration pendingBound,
      Function<String, Duration> durations) {
    this.search = search;
    this.checkpoints = checkpoints;
    this.trustedKey = trustedKey;
    this.pending = pending;
    this.pendingBound = pendingBound;
    this.durations = durations;
  }

  @Operation(name = "$verify", type = AuditEvent.class, idempotent = true)
  public Parameters verify(
      @OperationParam(name = "start") @Nullable DateTimeType start,
      @OperationParam(name = "end") @Nullable DateTimeType end,
      @OperationParam(name = "pendingBound") @Nullable StringType bound) {
    Instant from = start == null || start.getValue() == null ? null : start.getValue().toInstant();
    Instant to = end == null || end.getValue() == null ? null : end.getValue().toInstant();
    if (from != null && to != null && !from.isBefore(to)) {
      throw new InvalidRequestException("start must be before end");
    }
    Duration maxPending = pendingBound;
    if (bound != null && bound.getValue() != null && !bound.getValue().isBlank()) {
      try {
        maxPending = durations.apply(bound.getValue());
      } catch (IllegalArgumentException | java.time.format.DateTimeParseException e) {
        throw new InvalidRequestException(
            "pendingBound must be a duration such as 5m or PT5M, got: " + bound.getValue());
      }
    }
    boolean window = from != null || to != null;
    // checkpoints, then the indexer's position, then the store: a checkpointed number is either
    // indexed by the time the position is read (and then found) or pending
    List<Checkpoint> signed = checkpoints.get();
    List<PendingTail> tails = pending.get();
    // every stored event: the window is chosen by receipt time, which the store does not index
    List<AuditEvent> all = new ArrayList<>();
    String cursor = null;
    do {
      AuditPage page =
          search.search(AuditQuery.builder().limit(AuditQuery.MAX_LIMIT).cursor(cursor).build());
      all.addAll(page.events());
      cursor = page.nextCursor();
    } while (cursor != null);
    StoredChains stored = new StoredChains(all);
    List<AuditEvent> events =
        window ? all.stream().filter(e -> ReceiptTime.within(e, from, to)).toList() : all;
    ChainReport report =
        ChainVerifier.verify(
            events,
            signed,
            trustedKey,
            window,
            stored::byId,
            stored::at,
            tails,
            maxPending,
            Instant.now());
    return toParameters(report);
  }

  /** The Parameters form of a report (also what {@code atna-bridge verify --json} could print). */
  public static Parameters toParameters(ChainReport report) {
    Parameters p = new Parameters();
    p.addParameter().setName("intact").setValue(new BooleanType(report.intact()));
    p.addParameter().setName("eventsChecked").setValue(new Integer64Type(report.eventsChecked()));
    p.addParameter()
        .setName("checkpointsChecked")
        .setValue(new Integer64Type(report.checkpointsChecked()));
    p.addParameter()
        .setName("signaturesChecked")
        .setValue(new BooleanType(report.signaturesChecked()));
    if (!report.pending().isEmpty()) {
      p.addParameter().setName("pending").setValue(new Integer64Type(report.pendingCount()));
      Instant since = report.oldestPendingReceipt();
      if (since != null) {
        p.addParameter().setName("pendingSince").setValue(new InstantType(Date.from(since)));
      }
      for (PendingTail t : report.pending()) {
        if (t.count() == 0) {
          continue;
        }
        Parameters.ParametersParameterComponent part = p.addParameter().setName("pendingChain");
        part.addPart().setName("partition").setValue(new IntegerType(t.partition()));
        part.addPart().setName("fromSeq").setValue(new Integer64Type(t.indexedThrough() + 1));
        part.addPart().setName("toSeq").setValue(new Integer64Type(t.lastSeq()));
        part.addPart().setName("count").setValue(new Integer64Type(t.count()));
        if (t.oldestReceipt() != null) {
          part.addPart()
              .setName("oldestReceipt")
              .setValue(new InstantType(Date.from(t.oldestReceipt())));
        }
        part.addPart()
            .setName("text")
            .setValue(
                new StringType(
                    "PENDING partition "
                        + t.partition()
                        + " seq "
                        + (t.indexedThrough() + 1)
                        + ".."
                        + t.lastSeq()
                        + ": "
                        + t.count()
                        + " event(s) chained, not yet indexed"));
      }
    }
    for (ChainFinding f : report.findings()) {
      Parameters.ParametersParameterComponent part = p.addParameter().setName("finding");
      part.addPart().setName("kind").setValue(new CodeType(f.kind().name()));
      part.addPart().setName("partition").setValue(new IntegerType(f.partition()));
      part.addPart().setName("fromSeq").setValue(new Integer64Type(f.fromSeq()));
      part.addPart().setName("toSeq").setValue(new Integer64Type(f.toSeq()));
      if (f.id() != null) {
        part.addPart().setName("id").setValue(new StringType(f.id()));
      }
      part.addPart().setName("detail").setValue(new StringType(f.detail()));
      part.addPart().setName("text").setValue(new StringType(f.toString()));
    }
    return p;
  }
}
