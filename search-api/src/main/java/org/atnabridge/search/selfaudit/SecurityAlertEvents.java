package org.atnabridge.search.selfaudit;

import java.time.Instant;
import java.util.Date;
import org.atnabridge.schemas.vocab.CodeSystems;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.StringType;
import org.jspecify.annotations.Nullable;

/**
 * The AuditEvent recording a refused request (ATNA Security Considerations, BALP: authorization
 * failures are auditable events): category DCM 110113 "Security Alert"; code DCM 110122 "Login" for
 * a missing or invalid token (401), 110129 "Use of Restricted Function" for a scope or policy
 * refusal (403, a 404 by policy); outcome failure; agents the caller (its {@code sub} when the
 * token was valid, with its network address) and this repository, which is also the source. The
 * request line is kept, {@link RequestScrubber scrubbed}; credentials never are.
 */
public final class SecurityAlertEvents {

  static final String LOGIN = "110122";
  static final String RESTRICTED_FUNCTION = "110129";

  /**
   * One refusal.
   *
   * @param status the HTTP status answered (401, 403, 404)
   * @param caller the token's subject, or null when no valid token was presented
   * @param reason why, for the security officer (never sent to the client)
   */
  public record Denial(
      int status,
      String requestLine,
      @Nullable String caller,
      String callerAddress,
      String repository,
      String reason,
      Instant at) {}

  private SecurityAlertEvents() {}

  public static AuditEvent of(Denial d) {
    AuditEvent e = RepositoryParticipants.selfAuditRecord();
    e.addCategory(new CodeableConcept(new Coding(CodeSystems.DCM, "110113", "Security Alert")));
    // 401, and 400 for a token sent where it is refused (RFC 6750 §2.3): a failed login
    boolean authentication = d.status() == 401 || d.status() == 400;
    e.setCode(
        new CodeableConcept(
            authentication
                ? new Coding(CodeSystems.DCM, LOGIN, "Login")
                : new Coding(CodeSystems.DCM, RESTRICTED_FUNCTION, "Use of Restricted Function")));
    e.setAction(AuditEvent.AuditEventAction.E);
    e.setRecorded(Date.from(d.at()));
    e.getOutcome().setCode(new Coding(CodeSystems.AUDIT_EVENT_OUTCOME, "4", "Minor failure"));
    e.getOutcome().addDetail().setText(d.status() + " " + ControlCharacters.escape(d.reason()));

    String who = d.caller() == null ? "unauthenticated" : d.caller();
    RepositoryParticipants.addUser(e, new Identifier().setValue(who), d.callerAddress());
    RepositoryParticipants.addRepository(e, d.repository());
    AuditEvent.AuditEventEntityComponent request = e.addEntity();
    request.setRole(new CodeableConcept(new Coding(CodeSystems.OBJECT_ROLE, "24", "Query")));
    request
        .addDetail()
        .setType(new CodeableConcept().setText("request"))
        .setValue(new StringType(ControlCharacters.escape(d.requestLine())));
    return e;
  }
}
