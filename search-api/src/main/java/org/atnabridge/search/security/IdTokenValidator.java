package org.atnabridge.search.security;

import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

/**
 * Checks the ID token of an OpenID Connect sign-in (OIDC Core §3.1.3.7): signed by a key of the
 * provider with an asymmetric algorithm ({@link TokenValidator#ALGORITHMS}), issued by the
 * configured issuer, for this client ({@code aud}), unexpired within the clock skew, with a
 * subject, and carrying the nonce the sign-in sent (so a token of another sign-in is refused).
 * Thread-safe.
 */
public final class IdTokenValidator {

  private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

  /**
   * @param provider the API's settings for the provider: its issuer, keys and clock skew
   * @param clientId the console's client id, the audience of its ID tokens
   */
  public IdTokenValidator(AuthSettings provider, String clientId) {
    processor.setJWSKeySelector(
        Ed25519Support.keySelector(TokenValidator.ALGORITHMS, provider.keys()));
    processor.setJWSVerifierFactory(Ed25519Support.verifierFactory());
    DefaultJWTClaimsVerifier<SecurityContext> claims =
        new DefaultJWTClaimsVerifier<>(
            clientId,
            new JWTClaimsSet.Builder().issuer(provider.issuer()).build(),
            Set.of("sub", "exp", "iat", "nonce"));
    claims.setMaxClockSkew((int) provider.clockSkew().toSeconds());
    processor.setJWTClaimsSetVerifier(claims);
  }

  /**
   * The ID token's subject.
   *
   * @throws TokenValidator.InvalidTokenException naming what is wrong (for the log only)
   */
  public String validate(String idToken, String nonce) throws TokenValidator.InvalidTokenException {
    JWTClaimsSet claims;
    try {
      claims = processor.process(idToken, null);
    } catch (Exception e) { // ParseException, BadJOSEException, JOSEException, key source failures
      throw new TokenValidator.InvalidTokenException(
          "id_token: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()),
          e);
    }
    Object presented = claims.getClaim("nonce");
    if (!(presented instanceof String s)
        || !MessageDigest.isEqual(
            s.getBytes(StandardCharsets.UTF_8), nonce.getBytes(StandardCharsets.UTF_8))) {
      throw new TokenValidator.InvalidTokenException("id_token: nonce of another sign-in", null);
    }
    String subject = claims.getSubject();
    if (subject == null || subject.isBlank()) {
      throw new TokenValidator.InvalidTokenException("id_token: empty sub", null);
    }
    return subject;
  }
}
