package org.atnabridge.search.console;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Proof Key for Code Exchange (RFC 7636) with the S256 method only ({@code plain} would hand the
 * verifier to whoever sees the authorization request), and the other random values of a sign-in.
 */
final class Pkce {

  private static final SecureRandom RANDOM = new SecureRandom();

  private Pkce() {}

  /**
   * 32 random bytes, base64url without padding: 43 characters of the unreserved set, as RFC 7636
   * §4.1 asks of a code verifier; also used for state, nonce and the pre-session cookie.
   */
  static String random() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** {@code BASE64URL(SHA256(ASCII(verifier)))} (RFC 7636 §4.2). */
  static String challenge(String verifier) {
    try {
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(
              MessageDigest.getInstance("SHA-256")
                  .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
