package org.atnabridge.search.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.crypto.impl.BaseJWSProvider;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.JWSVerifierFactory;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Base64URL;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.EdECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * EdDSA (Ed25519) verification with the JDK's own provider. Nimbus verifies EdDSA only through
 * Google Tink, which is not a dependency here; RS256 and ES256 stay with Nimbus.
 */
final class Ed25519Support {

  /** X.509 SubjectPublicKeyInfo prefix of a raw 32-byte Ed25519 key (RFC 8410). */
  private static final byte[] SPKI_PREFIX = {
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
  };

  private Ed25519Support() {}

  /** Key selector: RS256/ES256 by Nimbus, EdDSA from the OKP Ed25519 keys of the same source. */
  static JWSKeySelector<SecurityContext> keySelector(
      Set<JWSAlgorithm> accepted, JWKSource<SecurityContext> source) {
    JWSVerificationKeySelector<SecurityContext> nimbus =
        new JWSVerificationKeySelector<>(accepted, source);
    return (header, context) -> {
      if (!accepted.contains(header.getAlgorithm())) {
        return List.of();
      }
      if (!JWSAlgorithm.EdDSA.equals(header.getAlgorithm())) {
        return nimbus.selectJWSKeys(header, context);
      }
      List<Key> keys = new ArrayList<>();
      for (JWK jwk : source.get(new JWKSelector(JWKMatcher.forJWSHeader(header)), context)) {
        if (jwk instanceof OctetKeyPair okp && Curve.Ed25519.equals(okp.getCurve())) {
          keys.add(publicKey(okp.getX()));
        }
      }
      return keys;
    };
  }

  /** Verifier factory: the JDK verifier for EdDSA, Nimbus's for the rest. */
  static JWSVerifierFactory verifierFactory() {
    DefaultJWSVerifierFactory nimbus = new DefaultJWSVerifierFactory();
    return new JWSVerifierFactory() {
      @Override
      public JWSVerifier createJWSVerifier(JWSHeader header, Key key) throws JOSEException {
        if (JWSAlgorithm.EdDSA.equals(header.getAlgorithm())) {
          if (!(key instanceof EdECPublicKey ed)) {
            throw new JOSEException("EdDSA needs an Ed25519 public key");
          }
          return new JdkVerifier(ed);
        }
        return nimbus.createJWSVerifier(header, key);
      }

      @Override
      public Set<JWSAlgorithm> supportedJWSAlgorithms() {
        Set<JWSAlgorithm> all = new java.util.HashSet<>(nimbus.supportedJWSAlgorithms());
        all.add(JWSAlgorithm.EdDSA);
        return all;
      }

      @Override
      public com.nimbusds.jose.jca.JCAContext getJCAContext() {
        return nimbus.getJCAContext();
      }
    };
  }

  static PublicKey publicKey(Base64URL x) {
    byte[] raw = x.decode();
    byte[] der = new byte[SPKI_PREFIX.length + raw.length];
    System.arraycopy(SPKI_PREFIX, 0, der, 0, SPKI_PREFIX.length);
    System.arraycopy(raw, 0, der, SPKI_PREFIX.length, raw.length);
    try {
      return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not an Ed25519 public key", e);
    }
  }

  private static final class JdkVerifier extends BaseJWSProvider implements JWSVerifier {
    private final PublicKey key;

    JdkVerifier(PublicKey key) {
      super(Set.of(JWSAlgorithm.EdDSA));
      this.key = key;
    }

    @Override
    public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature)
        throws JOSEException {
      try {
        Signature s = Signature.getInstance("Ed25519");
        s.initVerify(key);
        s.update(signingInput);
        return s.verify(signature.decode());
      } catch (java.security.SignatureException e) {
        return false;
      } catch (GeneralSecurityException e) {
        throw new JOSEException("Ed25519 verification failed", e);
      }
    }
  }
}
