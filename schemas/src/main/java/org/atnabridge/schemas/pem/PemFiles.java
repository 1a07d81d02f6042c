package org.atnabridge.schemas.pem;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads PEM certificate chains, trust anchors, public keys and unencrypted PKCS#8 private keys.
 * Every failure is an {@link IllegalArgumentException} naming the setting and the file, so that a
 * bad configuration stops the start with a message an operator can act on.
 */
public final class PemFiles {

  private static final String KEY_BEGIN = "-----BEGIN PRIVATE KEY-----";
  private static final String KEY_END = "-----END PRIVATE KEY-----";
  private static final Pattern PUBLIC_KEY =
      Pattern.compile("-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\\s]+)-----END PUBLIC KEY-----");

  private PemFiles() {}

  /** Every X.509 certificate in a PEM file, in file order (e.g. a leaf and its intermediates). */
  public static List<X509Certificate> certificates(Path file, String setting) {
    List<X509Certificate> out = new ArrayList<>();
    try (InputStream in = Files.newInputStream(file)) {
      factory().generateCertificates(in).forEach(c -> out.add((X509Certificate) c));
    } catch (IOException | CertificateException e) {
      throw new IllegalArgumentException(
          setting + ": " + file + " is not a PEM certificate file: " + e.getMessage(), e);
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(setting + ": no certificate found in " + file);
    }
    return out;
  }

  /** Every certificate in a PEM file, or in the {@code *.pem|*.crt|*.cer} files of a directory. */
  public static List<X509Certificate> trustAnchors(Path fileOrDir, String setting) {
    List<Path> files = new ArrayList<>();
    if (Files.isDirectory(fileOrDir)) {
      try (Stream<Path> list = Files.list(fileOrDir)) {
        list.filter(Files::isRegularFile)
            .filter(
                p -> {
                  String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                  return n.endsWith(".pem") || n.endsWith(".crt") || n.endsWith(".cer");
                })
            .sorted()
            .forEach(files::add);
      } catch (IOException e) {
        throw new IllegalArgumentException(
            setting + ": cannot list " + fileOrDir + ": " + e.getMessage(), e);
      }
    } else {
      files.add(fileOrDir);
    }
    List<X509Certificate> anchors = new ArrayList<>();
    for (Path file : files) {
      try (InputStream in = Files.newInputStream(file)) {
        factory().generateCertificates(in).forEach(c -> anchors.add((X509Certificate) c));
      } catch (IOException | CertificateException e) {
        throw new IllegalArgumentException(
            setting + ": " + file + " is not a PEM certificate file: " + e.getMessage(), e);
      }
    }
    if (anchors.isEmpty()) {
      throw new IllegalArgumentException(setting + ": no certificate found in " + fileOrDir);
    }
    return anchors;
  }

  /** An unencrypted PKCS#8 private key ({@code BEGIN PRIVATE KEY}): RSA, EC or Ed25519. */
  public static PrivateKey privateKey(Path file, String setting) {
    String pem;
    try {
      pem = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          setting + ": cannot read " + file + ": " + e.getMessage(), e);
    }
    int begin = pem.indexOf(KEY_BEGIN);
    int end = pem.indexOf(KEY_END);
    if (begin < 0 || end < begin) {
      throw new IllegalArgumentException(
          setting + ": " + file + " holds no unencrypted PKCS#8 key (" + KEY_BEGIN + ")");
    }
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(pem.substring(begin + KEY_BEGIN.length(), end));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(setting + ": " + file + " is not valid PEM", e);
    }
    for (String algorithm : List.of("EC", "RSA", "Ed25519", "RSASSA-PSS")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        // not this algorithm: try the next
      }
    }
    throw new IllegalArgumentException(
        setting + ": " + file + " holds no RSA, EC or Ed25519 PKCS#8 key");
  }

  /**
   * The public keys of a PEM file: every {@code BEGIN PUBLIC KEY} (X.509 SubjectPublicKeyInfo: RSA,
   * EC or Ed25519) and the key of every certificate, in that order; at least one.
   */
  public static List<PublicKey> publicKeys(Path file, String setting) {
    String pem;
    try {
      pem = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          setting + ": cannot read " + file + ": " + e.getMessage(), e);
    }
    List<PublicKey> out = new ArrayList<>();
    Matcher m = PUBLIC_KEY.matcher(pem);
    while (m.find()) {
      out.add(publicKey(Base64.getMimeDecoder().decode(m.group(1)), file, setting));
    }
    if (pem.contains("-----BEGIN CERTIFICATE-----")) {
      certificates(file, setting).forEach(c -> out.add(c.getPublicKey()));
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(
          setting + ": " + file + " holds no PEM public key or certificate");
    }
    return out;
  }

  private static PublicKey publicKey(byte[] spki, Path file, String setting) {
    for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(spki));
      } catch (GeneralSecurityException e) {
        // not this algorithm: try the next
      }
    }
    throw new IllegalArgumentException(
        setting + ": " + file + " holds a public key that is not RSA, EC or Ed25519");
  }

  private static CertificateFactory factory() throws CertificateException {
    return CertificateFactory.getInstance("X.509");
  }
}
