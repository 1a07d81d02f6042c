package org.atnabridge.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Test PKI made with the {@code openssl} CLI: a trusted CA, a server certificate for 127.0.0.1,
 * a client certificate from that CA ({@code CN=node-a.example,O=ATNA Test}) and one from an
 * untrusted CA. EC P-256 keys, PKCS#8 PEM.
 */
record Certificates(Path dir) {

  static final String OPENSSL = "/usr/bin/openssl";
  static final String CLIENT_SUBJECT = "CN=node-a.example,O=ATNA Test";

  static Certificates create(Path dir) throws IOException, InterruptedException {
    Files.writeString(dir.resolve("server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
    Files.writeString(dir.resolve("client.ext"), "extendedKeyUsage=clientAuth\n");
    ca(dir, "ca", "/CN=ATNA Test CA");
    ca(dir, "rogue-ca", "/CN=Rogue CA");
    leaf(dir, "server", "/CN=localhost", "ca", "server.ext");
    leaf(dir, "client", "/O=ATNA Test/CN=node-a.example", "ca", "client.ext");
    leaf(dir, "rogue", "/CN=rogue.example", "rogue-ca", "client.ext");
    Certificates c = new Certificates(dir);
    assertThat(Files.readString(c.serverKey())).startsWith("-----BEGIN PRIVATE KEY-----");
    return c;
  }

  private static void ca(Path dir, String name, String subject) throws IOException, InterruptedException {
    openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", name + ".key", "-out", name + ".pem", "-days", "2", "-subj", subject);
  }

  private static void leaf(Path dir, String name, String subject, String ca, String ext)
      throws IOException, InterruptedException {
    openssl(dir, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", name + ".key", "-out", name + ".csr", "-subj", subject);
    openssl(dir, "x509", "-req", "-in", name + ".csr", "-CA", ca + ".pem", "-CAkey", ca + ".key",
        "-CAcreateserial", "-out", name + ".pem", "-days", "2", "-extfile", ext);
  }

  private static void openssl(Path dir, String... args) throws IOException, InterruptedException {
    String[] command = new String[args.length + 1];
    command[0] = OPENSSL;
    System.arraycopy(args, 0, command, 1, args.length);
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("openssl " + String.join(" ", args) + ": " + out).isZero();
  }

  Path ca() {
    return dir.resolve("ca.pem");
  }

  Path serverCert() {
    return dir.resolve("server.pem");
  }

  Path serverKey() {
    return dir.resolve("server.key");
  }

  Path clientCert() {
    return dir.resolve("client.pem");
  }

  Path clientKey() {
    return dir.resolve("client.key");
  }

  Path rogueCert() {
    return dir.resolve("rogue.pem");
  }

  Path rogueKey() {
    return dir.resolve("rogue.key");
  }

  TlsConfig mutual() {
    return TlsConfig.mutual(serverCert(), serverKey(), ca());
  }

  static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(60);
}
