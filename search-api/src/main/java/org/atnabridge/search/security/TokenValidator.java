package org.atnabridge.search.security;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.text.ParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Checks a bearer JWT: a JWS signed with RS256, ES256 or EdDSA by a key of the configured source
 * ({@code alg=none} and HMAC are refused, whatever key could be abused as a secret), issuer,
 * audience, expiry and not-before within the clock skew, and a subject. Thread-safe.
 */
public final class TokenValidator {

  /** Only asymmetric algorithms: an HMAC "signature" made with a public key proves nothing. */
  public static final Set<JWSAlgorithm> ALGORITHMS =
      Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256, JWSAlgorithm.EdDSA);

  /** Why a token was refused; never shown to the client (RFC 6750 says only invalid_token). */
  public static final class InvalidTokenException extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidTokenException(String reason, @Nullable Throwable cause) {
      super(reason, cause);
    }
  }

  private final AuthSettings settings;
  private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

  public TokenValidator(AuthSettings settings) {
    this.settings = settings;
    processor.setJWSTypeVerifier(
        new DefaultJOSEObjectTypeVerifier<>(
            JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), null));
    processor.setJWSKeySelector(Ed25519Support.keySelector(ALGORITHMS, settings.keys()));
    processor.setJWSVerifierFactory(Ed25519Support.verifierFactory());
    DefaultJWTClaimsVerifier<SecurityContext> claims =
        new DefaultJWTClaimsVerifier<>(
            settings.audience(),
            new JWTClaimsSet.Builder().issuer(settings.issuer()).build(),
            Set.of("sub", "exp"));
    claims.setMaxClockSkew((int) settings.clockSkew().toSeconds());
    processor.setJWTClaimsSetVerifier(claims);
  }

  public Caller validate(String token) throws InvalidTokenException {
    JWTClaimsSet claims;
    try {
      claims = processor.process(token, null);
    } catch (Exception e) { // ParseException, BadJOSEException, JOSEException, key source failures
      throw new InvalidTokenException(
          e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), e);
    }
    if (claims.getSubject() == null || claims.getSubject().isBlank()) {
      // the self-audit names the caller by sub: a token naming nobody is no identity (RFC 7519
      // §4.1.2)
      throw new InvalidTokenException("empty sub", null);
    }
    try {
      return new Caller(
          claims.getSubject(),
          SmartScopes.parse(scopes(claims)),
          patient(claims),
          clearance(claims),
          claims.getJWTID());
    } catch (ParseException | IllegalArgumentException e) {
      throw new InvalidTokenException("malformed claim: " + e.getMessage(), e);
    }
  }

  /** {@code scope} (RFC 8693/SMART, space-separated) or {@code scp} (an array, e.g. Entra ID). */
  private static String scopes(JWTClaimsSet claims) throws ParseException {
    String scope = claims.getStringClaim("scope");
    if (scope != null) {
      return scope;
    }
    List<String> scp = claims.getStringListClaim("scp");
    return scp == null ? "" : String.join(" ", scp);
  }

  private @Nullable String patient(JWTClaimsSet claims) throws ParseException {
    String p = claims.getStringClaim(settings.patientClaim());
    return p == null || p.isBlank() ? null : p.trim();
  }

  private Set<String> clearance(JWTClaimsSet claims) throws ParseException {
    Object value = claims.getClaim(settings.clearanceClaim());
    if (value == null) {
      return Set.of();
    }
    if (value instanceof String s) {
      return Clearance.parse(s);
    }
    Set<String> out = new HashSet<>();
    for (String s : claims.getStringListClaim(settings.clearanceClaim())) {
      out.addAll(Clearance.parse(s));
    }
    return out;
  }
}
