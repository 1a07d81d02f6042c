package org.atnabridge.search.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The token issuer of the embedded default: an ES256 (P-256) key in {@code <data-dir>/keys/}
 * ({@value #KEY_FILE}, owner read/write only), created on first start. {@code serve} trusts its
 * public half; {@code atna-bridge token} signs with it. Whoever can read the file can mint any
 * token, so it stays with the data dir, like the checkpoint signing key.
 */
public final class LocalIssuer {

  public static final String KEY_FILE = "token-signing.jwk";
  public static final String ISSUER = "urn:atna-bridge:local-issuer";
  public static final String AUDIENCE = "urn:atna-bridge:fhir-api";

  private final ECKey key;

  private LocalIssuer(ECKey key) {
    this.key = key;
  }

  /** Loads the key in {@code keysDir}, creating it (mode 600) when there is none. */
  public static LocalIssuer openOrCreate(Path keysDir) {
    Path file = keysDir.resolve(KEY_FILE);
    if (!Files.exists(file)) {
      try {
        Files.createDirectories(keysDir);
        ECKey generated =
            new ECKeyGenerator(Curve.P_256)
                .keyUse(com.nimbusds.jose.jwk.KeyUse.SIGNATURE)
                .algorithm(JWSAlgorithm.ES256)
                .keyIDFromThumbprint(true)
                .generate();
        Path tmp =
            Files.createTempFile(
                keysDir,
                KEY_FILE,
                ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, generated.toJSONString(), StandardCharsets.UTF_8);
        try {
          Files.move(tmp, file); // no replace: a concurrent first start keeps the key that won
        } catch (FileAlreadyExistsException raced) {
          Files.delete(tmp);
        }
      } catch (IOException | JOSEException e) {
        throw new IllegalStateException(
            "cannot create the token signing key " + file + ": " + e.getMessage(), e);
      }
    }
    return open(keysDir);
  }

  /** Loads an existing key; fails naming the file when there is none. */
  public static LocalIssuer open(Path keysDir) {
    Path file = keysDir.resolve(KEY_FILE);
    try {
      return new LocalIssuer(ECKey.parse(Files.readString(file, StandardCharsets.UTF_8)));
    } catch (IOException | ParseException e) {
      throw new IllegalArgumentException(
          "cannot read the token signing key "
              + file
              + " (it is created by the first start of serve with this --data-dir): "
              + e.getMessage(),
          e);
    }
  }

  /** The public key, as {@code serve} trusts it. */
  public JWKSource<SecurityContext> verificationKeys() {
    return new ImmutableJWKSet<>(new JWKSet(key.toPublicJWK()));
  }

  /**
   * A signed access token.
   *
   * @param scope SMART scopes, space-separated
   * @param patient the {@code patient} claim, or null
   * @param clearance the {@code label_clearance} claim (e.g. V, R), empty = none
   */
  public String mint(
      String subject, String scope, @Nullable String patient, Set<String> clearance, Duration ttl) {
    return mint(AUDIENCE, subject, scope, patient, clearance, ttl, java.util.Map.of());
  }

  /**
   * As {@link #mint(String, String, String, Set, Duration)}, for {@code audience} (another audience
   * than {@link #AUDIENCE} makes a token the API refuses, e.g. a console sign-in link) and with
   * {@code extra} string claims.
   */
  public String mint(
      String audience,
      String subject,
      String scope,
      @Nullable String patient,
      Set<String> clearance,
      Duration ttl,
      java.util.Map<String, String> extra) {
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive: " + ttl);
    }
    Instant now = Instant.now();
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .issuer(ISSUER)
            .audience(audience)
            .subject(subject)
            .issueTime(Date.from(now))
            .notBeforeTime(Date.from(now))
            .expirationTime(Date.from(now.plus(ttl)))
            .jwtID(UUID.randomUUID().toString())
            .claim("scope", scope);
    extra.forEach(claims::claim);
    if (patient != null && !patient.isBlank()) {
      claims.claim(AuthSettings.DEFAULT_PATIENT_CLAIM, patient.trim());
    }
    if (!clearance.isEmpty()) {
      claims.claim(
          AuthSettings.DEFAULT_CLEARANCE_CLAIM,
          String.join(",", new java.util.TreeSet<>(clearance)));
    }
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.ES256)
                .type(JOSEObjectType.JWT)
                .keyID(key.getKeyID())
                .build(),
            claims.build());
    try {
      jwt.sign(new ECDSASigner(key));
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign the token: " + e.getMessage(), e);
    }
    return jwt.serialize();
  }

  /** Settings that accept this issuer's tokens (local default: issuer and audience fixed). */
  public AuthSettings settings() {
    return AuthSettings.of(ISSUER, AUDIENCE, verificationKeys());
  }
}
