package org.atnabridge.search.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * A test identity provider: RSA, EC and Ed25519 keys (public halves in {@link #jwks()}), and real
 * JWTs signed with them, good or deliberately bad. Ed25519 is signed with the JDK, as the server
 * verifies it.
 */
final class TestIssuer {

  static final String ISSUER = "https://idp.test/realms/atna";
  static final String AUDIENCE = "atna-bridge-test";

  final RSAKey rsa;
  final ECKey ec;
  final KeyPair ed;
  final OctetKeyPair edPublic;

  TestIssuer() {
    try {
      rsa = new RSAKeyGenerator(2048).keyID("rsa-" + UUID.randomUUID()).generate();
      ec = new ECKeyGenerator(Curve.P_256).keyID("ec-" + UUID.randomUUID()).generate();
      ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      byte[] spki = ed.getPublic().getEncoded();
      edPublic =
          new OctetKeyPair.Builder(
                  Curve.Ed25519,
                  Base64URL.encode(Arrays.copyOfRange(spki, spki.length - 32, spki.length)))
              .keyID("ed-" + UUID.randomUUID())
              .build();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  JWKSet jwks() {
    return new JWKSet(List.<JWK>of(rsa.toPublicJWK(), ec.toPublicJWK(), edPublic));
  }

  JWKSource<SecurityContext> keys() {
    return new ImmutableJWKSet<>(jwks());
  }

  AuthSettings settings() {
    return AuthSettings.of(ISSUER, AUDIENCE, keys());
  }

  /** Valid claims for {@code scope}, to adjust with {@code change}. */
  static JWTClaimsSet claims(
      String subject, String scope, UnaryOperator<JWTClaimsSet.Builder> change) {
    Instant now = Instant.now();
    JWTClaimsSet.Builder b =
        new JWTClaimsSet.Builder()
            .issuer(ISSUER)
            .audience(AUDIENCE)
            .subject(subject)
            .issueTime(Date.from(now))
            .notBeforeTime(Date.from(now.minusSeconds(1)))
            .expirationTime(Date.from(now.plus(Duration.ofMinutes(10))))
            .jwtID(UUID.randomUUID().toString())
            .claim("scope", scope);
    return change.apply(b).build();
  }

  static JWTClaimsSet claims(String subject, String scope) {
    return claims(subject, scope, b -> b);
  }

  String rs256(JWTClaimsSet claims) {
    return sign(JWSAlgorithm.RS256, rsa.getKeyID(), claims, signer(() -> new RSASSASigner(rsa)));
  }

  String es256(JWTClaimsSet claims) {
    return sign(JWSAlgorithm.ES256, ec.getKeyID(), claims, signer(() -> new ECDSASigner(ec)));
  }

  /**
   * An ES256 token of a patient app: SMART {@code patient/AuditEvent.rs} with the {@code patient}
   * launch context claim ({@code id} or {@code system|value}).
   */
  String patientToken(String subject, String patient) {
    return es256(claims(subject, "patient/AuditEvent.rs", b -> b.claim("patient", patient)));
  }

  /** EdDSA over Ed25519 with the JDK's signature (RFC 8037). */
  String eddsa(JWTClaimsSet claims) {
    try {
      JWSHeader header =
          new JWSHeader.Builder(JWSAlgorithm.EdDSA)
              .keyID(edPublic.getKeyID())
              .type(JOSEObjectType.JWT)
              .build();
      Base64URL h = header.toBase64URL();
      Base64URL p = Base64URL.encode(claims.toString().getBytes(StandardCharsets.UTF_8));
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(ed.getPrivate());
      s.update((h + "." + p).getBytes(StandardCharsets.US_ASCII));
      return h + "." + p + "." + Base64URL.encode(s.sign());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** ES256 with header {@code typ} as given (whatever it holds). */
  String es256WithType(String typ, JWTClaimsSet claims) {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.ES256)
                .keyID(ec.getKeyID())
                .type(new JOSEObjectType(typ))
                .build(),
            claims);
    try {
      jwt.sign(new ECDSASigner(ec));
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    return jwt.serialize();
  }

  /** Signed by another RSA key that claims this issuer's kid. */
  String rs256ForgedKey(JWTClaimsSet claims) {
    try {
      RSAKey other = new RSAKeyGenerator(2048).keyID(rsa.getKeyID()).generate();
      return sign(JWSAlgorithm.RS256, rsa.getKeyID(), claims, new RSASSASigner(other));
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code alg=none}: no signature at all. */
  static String unsigned(JWTClaimsSet claims) {
    return new PlainJWT(claims).serialize();
  }

  /**
   * HMAC confusion: HS256 "signed" with the public key as the secret, here the RSA key's X.509
   * encoding, which is public; a server using the key material for any alg would accept it.
   */
  String hs256WithPublicKey(JWTClaimsSet claims) {
    try {
      byte[] secret = rsa.toPublicKey().getEncoded();
      return sign(JWSAlgorithm.HS256, rsa.getKeyID(), claims, new MACSigner(secret));
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private interface SignerFactory {
    JWSSigner create() throws JOSEException;
  }

  private static JWSSigner signer(SignerFactory f) {
    try {
      return f.create();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String sign(JWSAlgorithm alg, String kid, JWTClaimsSet claims, JWSSigner signer) {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(alg).keyID(kid).type(JOSEObjectType.JWT).build(), claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    return jwt.serialize();
  }
}
