package org.atnabridge.search;

import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.atnabridge.schemas.chain.ChainFinding;
import org.atnabridge.schemas.chain.ChainReport;
import org.atnabridge.schemas.chain.ChainVerifier;
import org.atnabridge.schemas.chain.Checkpoint;
import org.atnabridge.store.AuditEventSearch;
import org.atnabridge.store.AuditPage;
import org.atnabridge.store.AuditQuery;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.BooleanType;
import org.hl7.fhir.r5.model.CodeType;
import org.hl7.fhir.r5.model.DateTimeType;
import org.hl7.fhir.r5.model.Integer64Type;
import org.hl7.fhir.r5.model.IntegerType;
import org.hl7.fhir.r5.model.Parameters;
import org.hl7.fhir.r5.model.StringType;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /fhir/AuditEvent/$verify?start=&end=}: the hash-chain check of {@code atna-bridge
 * verify} ({@link ChainVerifier}) over the stored events whose {@code recorded} lies in {@code
 * [start, end)} (both optional; none = every stored event), answered as a Parameters resource:
 *
 * <ul>
 *   <li>{@code intact} (boolean), {@code eventsChecked}, {@code checkpointsChecked} (integer64),
 *       {@code signaturesChecked} (boolean);
 *   <li>one {@code finding} per problem with parts {@code kind} (code: GAP, ALTERED, REORDERED,
 *       BROKEN_LINK, DUPLICATE_SEQ, UNCHAINED, BAD_SIGNATURE, CHECKPOINT_MISMATCH), {@code
 *       partition} (integer), {@code fromSeq}, {@code toSeq} (integer64), {@code id} (string, when
 *       known), {@code detail} (string) and {@code text} (the line {@code verify} prints).
 * </ul>
 *
 * Checkpoints come from {@code checkpoints} (e.g. read from {@code audit.checkpoints}); with the
 * one-argument constructor there are none, so only hashes and links are checked.
 */
public final class ChainVerificationProvider {

  private final AuditEventSearch search;
  private final Supplier<List<Checkpoint>> checkpoints;
  private final @Nullable PublicKey trustedKey;

  /** Hashes and links only: no checkpoints, no signatures. */
  public ChainVerificationProvider(AuditEventSearch search) {
    this(search, List::of, null);
  }

  public ChainVerificationProvider(AuditEventSearch search, Supplier<List<Checkpoint>> checkpoints,
      @Nullable PublicKey trustedKey) {
    this.search = search;
    this.checkpoints = checkpoints;
    this.trustedKey = trustedKey;
  }

  @Operation(name = "$verify", type = AuditEvent.class, idempotent = true)
  public Parameters verify(@OperationParam(name = "start") @Nullable DateTimeType start,
      @OperationParam(name = "end") @Nullable DateTimeType end) {
    Instant from = start == null || start.getValue() == null ? null : start.getValue().toInstant();
    Instant to = end == null || end.getValue() == null ? null : end.getValue().toInstant();
    if (from != null && to != null && !from.isBefore(to)) {
      throw new InvalidRequestException("start must be before end");
    }
    List<AuditEvent> events = new ArrayList<>();
    String cursor = null;
    do {
      AuditPage page = search.search(AuditQuery.builder().recordedFrom(from).recordedTo(to)
          .limit(AuditQuery.MAX_LIMIT).cursor(cursor).build());
      events.addAll(page.events());
      cursor = page.nextCursor();
    } while (cursor != null);
    ChainReport report = ChainVerifier.verify(events, checkpoints.get(), trustedKey, from != null || to != null,
        search::read);
    return toParameters(report);
  }

  /** The Parameters form of a report (also what {@code atna-bridge verify --json} could print). */
  public static Parameters toParameters(ChainReport report) {
    Parameters p = new Parameters();
    p.addParameter().setName("intact").setValue(new BooleanType(report.intact()));
    p.addParameter().setName("eventsChecked").setValue(new Integer64Type(report.eventsChecked()));
    p.addParameter().setName("checkpointsChecked").setValue(new Integer64Type(report.checkpointsChecked()));
    p.addParameter().setName("signaturesChecked").setValue(new BooleanType(report.signaturesChecked()));
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
