package org.atnabridge.schemas.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A signed statement "chain {@code partition} had reached {@code seq} with head hash {@code hash}
 * at {@code time}", written to {@code audit.checkpoints} every N events or T seconds.
 *
 * <p>Wire form (UTF-8 JSON): {@code {"v":1,"partition":0,"seq":1000,"hash":"<64 hex>",
 * "time":"2026-01-02T03:04:05.123Z","keyId":"<16 hex>","signature":"<base64>"}}. The signature is
 * Ed25519 (RFC 8032) over the UTF-8 bytes of {@link #signedText()}: {@code
 * "atna-bridge-checkpoint-v1" LF partition LF seq LF hash LF time LF keyId}. {@code keyId} is the
 * first 16 hex digits of SHA-256 over the X.509 (SubjectPublicKeyInfo) encoding of the public key.
 */
public record Checkpoint(
    int partition, long seq, String hash, Instant time, String keyId, String signature) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public Checkpoint {
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(signature, "signature");
  }

  /** Signs the head of a chain. */
  public static Checkpoint sign(
      int partition, long seq, String hash, Instant time, PrivateKey key, PublicKey publicKey) {
    String keyId = keyId(publicKey);
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(key);
      s.update(text(partition, seq, hash, time, keyId).getBytes(StandardCharsets.UTF_8));
      return new Checkpoint(
          partition, seq, hash, time, keyId, Base64.getEncoder().encodeToString(s.sign()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign checkpoint: " + e.getMessage(), e);
    }
  }

  /** True when the signature is valid for this key and the key id is the key's. */
  public boolean verify(PublicKey key) {
    if (!keyId.equals(keyId(key))) {
      return false;
    }
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initVerify(key);
      s.update(signedText().getBytes(StandardCharsets.UTF_8));
      return s.verify(Base64.getDecoder().decode(signature));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  public String signedText() {
    return text(partition, seq, hash, time, keyId);
  }

  private static String text(int partition, long seq, String hash, Instant time, String keyId) {
    return "atna-bridge-checkpoint-v1\n"
        + partition
        + "\n"
        + seq
        + "\n"
        + hash
        + "\n"
        + time
        + "\n"
        + keyId;
  }

  public static String keyId(PublicKey key) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
      return HexFormat.of().formatHex(d).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public byte[] toJson() {
    ObjectNode n = JSON.createObjectNode();
    n.put("v", 1);
    n.put("partition", partition);
    n.put("seq", seq);
    n.put("hash", hash);
    n.put("time", time.toString());
    n.put("keyId", keyId);
    n.put("signature", signature);
    return n.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * @throws IllegalArgumentException when the bytes are not a checkpoint
   */
  public static Checkpoint fromJson(byte[] json) {
    try {
      JsonNode n = JSON.readTree(json);
      return new Checkpoint(
          n.required("partition").asInt(),
          n.required("seq").asLong(),
          n.required("hash").asText(),
          Instant.parse(n.required("time").asText()),
          n.required("keyId").asText(),
          n.required("signature").asText());
    } catch (Exception e) {
      throw new IllegalArgumentException("not a checkpoint: " + e.getMessage(), e);
    }
  }
}
