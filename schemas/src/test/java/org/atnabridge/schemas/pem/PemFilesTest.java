package org.atnabridge.schemas.pem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemFilesTest {

  @TempDir Path dir;

  @Test
  void publicKeys_rsaEcAndEd25519_inFileOrder() throws Exception {
    PublicKey rsa = KeyPairGenerator.getInstance("RSA").generateKeyPair().getPublic();
    PublicKey ec = KeyPairGenerator.getInstance("EC").generateKeyPair().getPublic();
    PublicKey ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic();
    Path file = write("keys.pem", pem(rsa) + "some comment\n" + pem(ec) + pem(ed));

    List<PublicKey> keys = PemFiles.publicKeys(file, "--key");

    assertThat(keys).containsExactly(rsa, ec, ed);
  }

  @Test
  void publicKeys_noKey_failsNamingTheSettingAndFile() throws Exception {
    Path file = write("empty.pem", "nothing here\n");
    assertThatThrownBy(() -> PemFiles.publicKeys(file, "--key"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--key")
        .hasMessageContaining("empty.pem");
  }

  @Test
  void publicKeys_notAKey_failsNamingTheSetting() throws Exception {
    Path file = write("junk.pem", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
    assertThatThrownBy(() -> PemFiles.publicKeys(file, "--key"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--key")
        .hasMessageContaining("not RSA, EC or Ed25519");
  }

  @Test
  void publicKeys_missingFile_failsNamingTheSetting() {
    assertThatThrownBy(() -> PemFiles.publicKeys(dir.resolve("absent.pem"), "--key"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--key: cannot read");
  }

  private Path write(String name, String text) throws Exception {
    return Files.writeString(dir.resolve(name), text, StandardCharsets.US_ASCII);
  }

  private static String pem(PublicKey key) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(key.getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }
}
