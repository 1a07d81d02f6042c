package org.atnabridge.search.security;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.List;
import org.atnabridge.schemas.pem.PemFiles;

/**
 * The public keys of a PEM file ({@link PemFiles#publicKeys}) as JWKs, with the JDK alone (Nimbus
 * needs BouncyCastle for PEM).
 */
final class PemKeys {

  private PemKeys() {}

  static List<JWK> publicJwks(Path file) {
    return PemFiles.publicKeys(file, "--oidc-key-file").stream().map(PemKeys::jwk).toList();
  }

  private static JWK jwk(PublicKey key) {
    if (key instanceof RSAPublicKey rsa) {
      return new RSAKey.Builder(rsa).build();
    }
    if (key instanceof ECPublicKey ec) {
      return new ECKey.Builder(Curve.forECParameterSpec(ec.getParams()), ec).build();
    }
    if (key instanceof EdECPublicKey) {
      byte[] spki =
          key.getEncoded(); // the raw key is the last 32 octets of the SubjectPublicKeyInfo
      return new OctetKeyPair.Builder(
              Curve.Ed25519,
              Base64URL.encode(Arrays.copyOfRange(spki, spki.length - 32, spki.length)))
          .build();
    }
    throw new IllegalArgumentException(
        "--oidc-key-file: unsupported key type " + key.getAlgorithm());
  }
}
