package org.atnabridge.search.security;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How bearer tokens are checked and what they grant.
 *
 * @param issuer the exact {@code iss} accepted
 * @param audience the {@code aud} a token must contain
 * @param keys where verification keys come from (a JWKS URL, a key file, the local issuer)
 * @param clockSkew tolerance on {@code exp} and {@code nbf}
 * @param patientClaim the claim naming the patient of {@code patient/} scopes
 * @param clearanceClaim the claim with the label clearance (comma-separated string or array)
 * @param patientIdentifierSystem when set, a bare patient id also matches events that identify the
 *     patient only by an identifier of this system (see {@link SecuredAuditEventSearch})
 * @param deniedRead what a read of an event the caller may not see answers
 * @param allowUnauthenticated local development only: requests without a token act as an
 *     unrestricted caller ({@code anonymous})
 */
public record AuthSettings(
    String issuer,
    String audience,
    JWKSource<SecurityContext> keys,
    Duration clockSkew,
    String patientClaim,
    String clearanceClaim,
    @Nullable String patientIdentifierSystem,
    DeniedRead deniedRead,
    boolean allowUnauthenticated) {

  public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(30);
  public static final String DEFAULT_PATIENT_CLAIM = "patient";
  public static final String DEFAULT_CLEARANCE_CLAIM = "label_clearance";

  /** The answer to a read of an invisible event (FHIR security page, "Access Denied"). */
  public enum DeniedRead {
    /** 404: reveals nothing about whether the event exists (default). */
    NOT_FOUND,
    /** 403: for callers known well enough to be told. */
    FORBIDDEN;

    public static DeniedRead parse(String value) {
      return switch (value.trim()) {
        case "404" -> NOT_FOUND;
        case "403" -> FORBIDDEN;
        default ->
            throw new IllegalArgumentException(
                "--access-denied-read must be 404 or 403, got: " + value);
      };
    }
  }

  public AuthSettings {
    if (issuer == null || issuer.isBlank()) {
      throw new IllegalArgumentException("--oidc-issuer is empty");
    }
    if (audience == null || audience.isBlank()) {
      throw new IllegalArgumentException("--oidc-audience is empty");
    }
    Objects.requireNonNull(keys, "keys");
    if (clockSkew == null
        || clockSkew.isNegative()
        || clockSkew.compareTo(Duration.ofMinutes(5)) > 0) {
      throw new IllegalArgumentException(
          "--oidc-clock-skew must be 0..300 seconds, got: " + clockSkew);
    }
    if (patientClaim == null || patientClaim.isBlank()) {
      throw new IllegalArgumentException("--oidc-patient-claim is empty");
    }
    if (clearanceClaim == null || clearanceClaim.isBlank()) {
      throw new IllegalArgumentException("--oidc-clearance-claim is empty");
    }
    Objects.requireNonNull(deniedRead, "deniedRead");
    patientIdentifierSystem =
        patientIdentifierSystem == null || patientIdentifierSystem.isBlank()
            ? null
            : patientIdentifierSystem.trim();
  }

  /** Defaults for everything but the issuer, audience and keys. */
  public static AuthSettings of(String issuer, String audience, JWKSource<SecurityContext> keys) {
    return new AuthSettings(
        issuer,
        audience,
        keys,
        DEFAULT_CLOCK_SKEW,
        DEFAULT_PATIENT_CLAIM,
        DEFAULT_CLEARANCE_CLAIM,
        null,
        DeniedRead.NOT_FOUND,
        false);
  }

  public AuthSettings withDeniedRead(DeniedRead v) {
    return new AuthSettings(
        issuer,
        audience,
        keys,
        clockSkew,
        patientClaim,
        clearanceClaim,
        patientIdentifierSystem,
        v,
        allowUnauthenticated);
  }

  public AuthSettings withPatientIdentifierSystem(@Nullable String v) {
    return new AuthSettings(
        issuer,
        audience,
        keys,
        clockSkew,
        patientClaim,
        clearanceClaim,
        v,
        deniedRead,
        allowUnauthenticated);
  }

  public AuthSettings withAllowUnauthenticated(boolean v) {
    return new AuthSettings(
        issuer,
        audience,
        keys,
        clockSkew,
        patientClaim,
        clearanceClaim,
        patientIdentifierSystem,
        deniedRead,
        v);
  }
}
