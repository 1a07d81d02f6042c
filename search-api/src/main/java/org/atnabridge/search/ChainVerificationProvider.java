package org.atnabridge.search;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.util.OperationOutcomeUtil;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.schemas.chain.ChainFinding;
import org.atnabridge.schemas.chain.ChainReport;
import org.atnabridge.schemas.chain.ChainVerifier;
import org.atnabridge.schemas.chain.Checkpoint;
import org.atnabridge.schemas.chain.PendingTail;
import org.atnabridge.schemas.chain.ReceiptTime;
import org.atnabridge.schemas.vocab.Extensions;
import org.atnabridge.search.security.RequestAccess;
import org.atnabridge.search.selfaudit.RecordLabels;
import org.atnabridge.store.AuditEventSearch;
import org.atnabridge.store.AuditPage;
import org.atnabridge.store.AuditQuery;
import org.atnabridge.store.IdentifierToken;
import org.atnabridge.store.SearchField;
import org.hl7.fhir.instance.model.api.IBaseOperationOutcome;
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
 * <p><b>What a check reads.</b> The window's events are selected in the store on the indexed
 * receipt time ({@code SearchField.RECEIVED}) and read a page at a time; the verifier keeps only
 * each event's id and chain link. Positions the selection left out are read by their indexed chain
 * fields (the generic extension token {@code chain#partition}, {@code chain#seq}), predecessors by
 * id. Documents indexed before the receipt time was (they lack it) are read whatever the window and
 * filtered here. A check that would read more than {@link VerifyLimits#maxEvents()} events is
 * refused (422, {@code too-costly}: "window holds N events; narrow it"); identical concurrent
 * requests of callers that see alike share one check, and at most {@link VerifyLimits#concurrent()}
 * checks run at once on a node (others wait, then 503).
 *
 * <p>Checkpoints come from {@code checkpoints} (e.g. read from {@code audit.checkpoints}) and the
 * pending tails from {@code pending} (the indexer's committed position); with the one-argument
 * constructor there are neither, so only hashes and links are checked, up to the highest stored
 * number.
 */
public final class ChainVerificationProvider {

  private static final String CHAIN_PARTITION = Extensions.CHAIN + "#partition";
  private static final String CHAIN_SEQ = Extensions.CHAIN + "#seq";

  /** Sequence numbers per position query (ChainVerifier asks for at most 1,000 at once). */
  private static final int SEQ_CHUNK = 500;

  private final AuditEventSearch search;
  private final Supplier<List<Checkpoint>> checkpoints;
  private final @Nullable PublicKey trustedKey;
  private final Supplier<List<PendingTail>> pending;
  private final Duration pendingBound;
  private final Function<String, Duration> durations;
  private final VerifyLimits limits;
  private final Semaphore running;
  private final ConcurrentHashMap<Key, CompletableFuture<Done>> inFlight =
      new ConcurrentHashMap<>();

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
    this(search, checkpoints, trustedKey, pending, pendingBound, durations, VerifyLimits.DEFAULTS);
  }

  /**
   * @param limits the most events one check reads, and how many checks run at once
   */
  public ChainVerificationProvider(
      AuditEventSearch search,
      Supplier<List<Checkpoint>> checkpoints,
      @Nullable PublicKey trustedKey,
      Supplier<List<PendingTail>> pending,
      Duration pendingBound,
      Function<String, Duration> durations,
      VerifyLimits limits) {
    this.search = search;
    this.checkpoints = checkpoints;
    this.trustedKey = trustedKey;
    this.pending = pending;
    this.pendingBound = pendingBound;
    this.durations = durations;
    this.limits = limits;
    this.running = new Semaphore(limits.concurrent(), true);
  }

  /** One check as requests name it: identical requests of callers who see alike share it. */
  private record Key(
      @Nullable Instant from, @Nullable Instant to, Duration pendingBound, Object view) {}

  /** A check's answer and what its request touched (for the self-audit of requests sharing it). */
  private record Done(Parameters parameters, @Nullable RecordLabels touched) {}

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
    // single flight: a request identical to one being answered (a badge storm) waits for that
    // answer instead of reading the window again
    Key key = new Key(from, to, maxPending, search.view());
    CompletableFuture<Done> mine = new CompletableFuture<>();
    CompletableFuture<Done> other = inFlight.putIfAbsent(key, mine);
    if (other != null) {
      Done done = join(other);
      RequestAccess access = RequestAccess.current();
      if (access != null && done.touched() != null && done.touched() != access.recordLabels()) {
        access.recordLabels().addAll(done.touched());
      }
      return done.parameters().copy();
    }
    try {
      Parameters answer = check(from, to, maxPending);
      RequestAccess access = RequestAccess.current();
      mine.complete(new Done(answer, access == null ? null : access.recordLabels()));
      return answer;
    } catch (RuntimeException | Error e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      inFlight.remove(key, mine);
    }
  }

  private static Done join(CompletableFuture<Done> f) {
    try {
      return f.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }

  private Parameters check(@Nullable Instant from, @Nullable Instant to, Duration maxPending) {
    boolean window = from != null || to != null;
    // what the check would read: the window's events, selected on the indexed receipt time, and
    // the documents indexed before that field existed (they lack it: `received:missing`), whose
    // receipt time only their content tells, so they are read and filtered here; an index written
    // wholly before this field thus falls back to reading every event, as $verify did before
    long legacy = window ? count(AuditQuery.builder().missing(SearchField.RECEIVED, true)) : 0;
    long selected =
        window
            ? count(AuditQuery.builder().date(SearchField.RECEIVED, from, to))
            : count(AuditQuery.builder());
    long toRead = selected + legacy;
    if (toRead > limits.maxEvents()) {
      throw TooCostly.of(selected, legacy, limits.maxEvents());
    }
    boolean admitted;
    try {
      admitted = running.tryAcquire(limits.queueWait().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Busy.of();
    }
    if (!admitted) {
      throw Busy.of();
    }
    try {
      // checkpoints, then the indexer's position, then the store: a checkpointed number is either
      // indexed by the time the position is read (and then found) or pending
      List<Checkpoint> signed = checkpoints.get();
      List<PendingTail> tails = pending.get();
      Iterable<AuditEvent> events;
      if (!window) {
        events = pages(AuditQuery.builder());
      } else if (legacy == 0) {
        events = pages(AuditQuery.builder().date(SearchField.RECEIVED, from, to));
      } else {
        Iterable<AuditEvent> indexed =
            pages(AuditQuery.builder().date(SearchField.RECEIVED, from, to));
        Iterable<AuditEvent> older =
            filtered(
                pages(AuditQuery.builder().missing(SearchField.RECEIVED, true)),
                e -> ReceiptTime.within(e, from, to));
        events = concat(indexed, older);
      }
      ChainReport report =
          ChainVerifier.verify(
              events,
              signed,
              trustedKey,
              window,
              search::read,
              this::at,
              tails,
              maxPending,
              Instant.now());
      return toParameters(report);
    } finally {
      running.release();
    }
  }

  private long count(AuditQuery.Builder q) {
    return search.search(q.limit(0).build()).total();
  }

  /** The stored events at these positions of a chain: a query on the indexed chain fields. */
  private List<AuditEvent> at(int partition, List<Long> seqs) {
    List<AuditEvent> out = new ArrayList<>();
    for (int i = 0; i < seqs.size(); i += SEQ_CHUNK) {
      IdentifierToken[] wanted =
          seqs.subList(i, Math.min(seqs.size(), i + SEQ_CHUNK)).stream()
              .map(s -> new IdentifierToken(CHAIN_SEQ, Long.toString(s)))
              .toArray(IdentifierToken[]::new);
      pages(
              AuditQuery.builder()
                  .token(
                      SearchField.EXTENSION,
                      new IdentifierToken(CHAIN_PARTITION, Integer.toString(partition)))
                  .token(SearchField.EXTENSION, wanted))
          .forEach(out::add);
    }
    return out;
  }

  /** The events of a query, read a page at a time as they are iterated: one page in memory. */
  private Iterable<AuditEvent> pages(AuditQuery.Builder query) {
    return () ->
        new Iterator<AuditEvent>() {
          private Iterator<AuditEvent> page = Collections.emptyIterator();
          private @Nullable String cursor;
          private boolean last;

          @Override
          public boolean hasNext() {
            while (!page.hasNext() && !last) {
              AuditPage p = search.search(query.limit(AuditQuery.MAX_LIMIT).cursor(cursor).build());
              page = p.events().iterator();
              cursor = p.nextCursor();
              last = cursor == null;
            }
            return page.hasNext();
          }

          @Override
          public AuditEvent next() {
            if (!hasNext()) {
              throw new NoSuchElementException();
            }
            return page.next();
          }
        };
  }

  private static Iterable<AuditEvent> filtered(
      Iterable<AuditEvent> events, Predicate<AuditEvent> keep) {
    return () -> {
      Iterator<AuditEvent> it = events.iterator();
      return new Iterator<AuditEvent>() {
        private @Nullable AuditEvent next;

        @Override
        public boolean hasNext() {
          while (next == null && it.hasNext()) {
            AuditEvent e = it.next();
            if (keep.test(e)) {
              next = e;
            }
          }
          return next != null;
        }

        @Override
        public AuditEvent next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          AuditEvent e = java.util.Objects.requireNonNull(next);
          next = null;
          return e;
        }
      };
    };
  }

  private static Iterable<AuditEvent> concat(Iterable<AuditEvent> a, Iterable<AuditEvent> b) {
    return () ->
        java.util.stream.Stream.concat(
                java.util.stream.StreamSupport.stream(a.spliterator(), false),
                java.util.stream.StreamSupport.stream(b.spliterator(), false))
            .iterator();
  }

  /**
   * 422, issue {@code too-costly}: the window holds more events than one check may read. The
   * console's badge shows it as text, not as an error.
   */
  static final class TooCostly extends BaseServerResponseException {
    private static final long serialVersionUID = 1L;

    private TooCostly(String message, IBaseOperationOutcome outcome) {
      super(422, message, outcome);
    }

    static TooCostly of(long selected, long legacy, long max) {
      String message =
          "window holds "
              + (selected + legacy)
              + " events; narrow it (one check reads at most "
              + max
              + ", --verify-max-events)"
              + (legacy > 0
                  ? "; "
                      + legacy
                      + " of them are indexed without their receipt time (written before this"
                      + " version) and are read whatever the window"
                  : "");
      FhirContext fhir = Fhir.context();
      IBaseOperationOutcome outcome = OperationOutcomeUtil.newInstance(fhir);
      OperationOutcomeUtil.addIssue(fhir, outcome, "error", message, null, "too-costly");
      return new TooCostly(message, outcome);
    }
  }

  /** 503 with {@code Retry-After}: other checks hold this node's turns for longer than the wait. */
  static final class Busy extends BaseServerResponseException {
    private static final long serialVersionUID = 1L;

    static final String MESSAGE =
        "another integrity check is running on this server; try again shortly";

    private Busy(IBaseOperationOutcome outcome) {
      super(503, MESSAGE, outcome);
      addResponseHeader("Retry-After", "5");
    }

    static Busy of() {
      FhirContext fhir = Fhir.context();
      IBaseOperationOutcome outcome = OperationOutcomeUtil.newInstance(fhir);
      OperationOutcomeUtil.addIssue(fhir, outcome, "error", MESSAGE, null, "transient");
      return new Busy(outcome);
    }
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
