package org.atnabridge.streams.chain;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import org.atnabridge.schemas.chain.Checkpoint;

/**
 * The Ed25519 key pair that signs checkpoints, kept as two PEM files in a key directory ({@code
 * <data-dir>/keys} in {@code serve}): {@value #PRIVATE_FILE} (PKCS#8, mode 600) and {@value
 * #PUBLIC_FILE} (X.509 SubjectPublicKeyInfo; give this one to whoever runs {@code verify}).
 * Generated on first start when absent; to use a key from configuration, place those files there.
 */
public record CheckpointKeys(PrivateKey privateKey, PublicKey publicKey) {

  public static final String PRIVATE_FILE = "checkpoint-ed25519.key";
  public static final String PUBLIC_FILE = "checkpoint-ed25519.pub";

  /** Loads the pair from {@code dir}, generating and storing a new one when there is none. */
  public static synchronized CheckpointKeys loadOrCreate(Path dir) {
    try {
      Files.createDirectories(dir);
      Path priv = dir.resolve(PRIVATE_FILE);
      Path pub = dir.resolve(PUBLIC_FILE);
      // instances sharing a data dir must not generate two pairs: generate under a file lock
      try (FileChannel ch =
              FileChannel.open(
                  dir.resolve(".keys.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock ignored = ch.lock()) {
        if (!Files.exists(priv)) {
          KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
          write(pub, pem("PUBLIC KEY", pair.getPublic().getEncoded()), false);
          write(priv, pem("PRIVATE KEY", pair.getPrivate().getEncoded()), true);
        }
      }
      KeyFactory kf = KeyFactory.getInstance("Ed25519");
      PrivateKey privateKey =
          kf.generatePrivate(new PKCS8EncodedKeySpec(der(Files.readString(priv))));
      PublicKey publicKey = readPublicKey(pub);
      return new CheckpointKeys(privateKey, publicKey);
    } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException(
          "checkpoint signing key in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Reads a PEM (or bare base64) X.509 Ed25519 public key. */
  public static PublicKey readPublicKey(Path file) throws IOException, GeneralSecurityException {
    return KeyFactory.getInstance("Ed25519")
        .generatePublic(new X509EncodedKeySpec(der(Files.readString(file))));
  }

  public String keyId() {
    return Checkpoint.keyId(publicKey);
  }

  private static void write(Path target, String content, boolean secret) throws IOException {
    Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
    try {
      if (secret) {
        try {
          Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
          // not a POSIX file system: rely on the directory's protection
        }
      }
      Files.writeString(tmp, content, StandardCharsets.US_ASCII);
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private static byte[] der(String pem) {
    return Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", "").trim());
  }
}
