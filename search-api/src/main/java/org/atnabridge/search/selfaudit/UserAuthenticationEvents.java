package org.atnabridge.search.selfaudit;

import java.time.Instant;
import java.util.Date;
import org.atnabridge.schemas.vocab.CodeSystems;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.Identifier;
import org.jspecify.annotations.Nullable;

/**
 * The AuditEvent of an officer signing in to or out of the console (DICOM PS3.15 A.5.3.16 "User
 * Authentication"): category DCM 110114, code DCM 110122 "Login" or 110123 "Logout"; agents the
 * officer (subject, network address, requestor) and this repository, which is also the source. A
 * refused sign-in is the same Login with outcome 4 (minor failure) and the reason, so the default
 * rule pack's login-failure rules (User Authentication, Login, outcome not 0) count it.
 */
public final class UserAuthenticationEvents {

  static final String USER_AUTHENTICATION = "110114";
  static final String LOGOUT = "110123";

  /** Signing in or out. */
  public enum Kind {
    LOGIN(SecurityAlertEvents.LOGIN, "Login"),
    LOGOUT(UserAuthenticationEvents.LOGOUT, "Logout");

    private final String code;
    private final String display;

    Kind(String code, String display) {
      this.code = code;
      this.display = display;
    }
  }

  /**
   * @param subject the officer's subject ({@code unauthenticated} for a refused sign-in)
   * @param issuer the OpenID Connect provider that vouched for {@code subject} (the identifier's
   *     system), or null for this repository's own issuer (sign-in links)
   * @param refusal why the sign-in was refused, or null when it succeeded
   */
  public record SignIn(
      Kind kind,
      String subject,
      @Nullable String issuer,
      String address,
      String repository,
      Instant at,
      @Nullable String refusal) {}

  private UserAuthenticationEvents() {}

  public static AuditEvent of(SignIn s) {
    AuditEvent e = RepositoryParticipants.selfAuditRecord();
    e.addCategory(
        new CodeableConcept(
            new Coding(CodeSystems.DCM, USER_AUTHENTICATION, "User Authentication")));
    e.setCode(new CodeableConcept(new Coding(CodeSystems.DCM, s.kind().code, s.kind().display)));
    e.setAction(AuditEvent.AuditEventAction.E);
    e.setRecorded(Date.from(s.at()));
    if (s.refusal() == null) {
      e.getOutcome().setCode(new Coding(CodeSystems.AUDIT_EVENT_OUTCOME, "0", "Success"));
    } else {
      e.getOutcome().setCode(new Coding(CodeSystems.AUDIT_EVENT_OUTCOME, "4", "Minor failure"));
      e.getOutcome().addDetail().setText(ControlCharacters.escape(s.refusal()));
    }

    Identifier id = new Identifier().setValue(ControlCharacters.escape(s.subject()));
    if (s.issuer() != null) {
      id.setSystem(s.issuer());
    }
    RepositoryParticipants.addUser(e, id, s.address());
    RepositoryParticipants.addRepository(e, s.repository());
    return e;
  }
}
