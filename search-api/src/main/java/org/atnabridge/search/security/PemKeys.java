package org.atnabridge.search.security;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.atnabridge.schemas.pem.PemFiles;

/**
 * PEM public keys ({@code BEGIN PUBLIC KEY}) and certificates as JWKs, with the JDK alone (Nimbus
 * needs BouncyCastle for PEM).
 */
final class PemKeys {

  private static final Pattern PUBLIC_KEY =
      Pattern.compile("-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\\s]+)-----END PUBLIC KEY-----");

  private PemKeys() {}

  static List<JWK> publicJwks(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalArgumentException("--oidc-key-file cannot be read: " + file, e);
    }
    List<JWK> out = new ArrayList<>();
    Matcher m = PUBLIC_KEY.matcher(text);
    while (m.find()) {
      out.add(jwk(publicKey(Base64.getMimeDecoder().decode(m.group(1)), file)));
    }
    if (text.contains("-----BEGIN CERTIFICATE-----")) {
      PemFiles.certificates(file, "--oidc-key-file").forEach(c -> out.add(jwk(c.getPublicKey())));
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("--oidc-key-file holds no PEM public key or certificate: " + file);
    }
    return out;
  }

  private static PublicKey publicKey(byte[] spki, Path file) {
    for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(spki));
      } catch (GeneralSecurityException e) {
        // not this algorithm: try the next
      }
    }
    throw new IllegalArgumentException("--oidc-key-file: not an RSA, EC or Ed25519 public key in " + file);
  }

  private static JWK jwk(PublicKey key) {
    if (key instanceof RSAPublicKey rsa) {
      return new RSAKey.Builder(rsa).build();
    }
    if (key instanceof ECPublicKey ec) {
      return new ECKey.Builder(Curve.forECParameterSpec(ec.getParams()), ec).build();
    }
    if (key instanceof EdECPublicKey) {
      byte[] spki = key.getEncoded(); // the raw key is the last 32 octets of the SubjectPublicKeyInfo
      return new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(Arrays.copyOfRange(spki, spki.length - 32,
          spki.length))).build();
    }
    throw new IllegalArgumentException("--oidc-key-file: unsupported key type " + key.getAlgorithm());
  }
}
