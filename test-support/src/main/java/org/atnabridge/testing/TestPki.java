package org.atnabridge.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away PKI made with the real {@code openssl} CLI for TLS tests: a trusted CA, a server
 * certificate for 127.0.0.1/localhost, a client certificate from that CA ({@value #CLIENT_SUBJECT})
 * and one from an untrusted CA. EC P-256 keys, PKCS#8 PEM, valid two days.
 */
public record TestPki(Path dir) {

  public static final String OPENSSL = "/usr/bin/openssl";
  public static final String CLIENT_SUBJECT = "CN=node-a.example,O=ATNA Test";

  /** Creates the PKI in {@code dir}; fails (never skips) when openssl is missing or fails. */
  public static TestPki create(Path dir) {
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
      Files.writeString(dir.resolve("client.ext"), "extendedKeyUsage=clientAuth\n");
      ca(dir, "ca", "/CN=ATNA Test CA");
      ca(dir, "rogue-ca", "/CN=Rogue CA");
      leaf(dir, "server", "/CN=localhost", "ca", "server.ext");
      leaf(dir, "client", "/O=ATNA Test/CN=node-a.example", "ca", "client.ext");
      leaf(dir, "rogue", "/CN=rogue.example", "rogue-ca", "client.ext");
      TestPki pki = new TestPki(dir);
      if (!Files.readString(pki.serverKey()).startsWith("-----BEGIN PRIVATE KEY-----")) {
        throw new IllegalStateException("openssl did not write a PKCS#8 server key in " + dir);
      }
      return pki;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void ca(Path dir, String name, String subject) throws IOException {
    openssl(
        dir,
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        name + ".key",
        "-out",
        name + ".pem",
        "-days",
        "2",
        "-subj",
        subject);
  }

  private static void leaf(Path dir, String name, String subject, String ca, String ext)
      throws IOException {
    openssl(
        dir,
        "req",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        name + ".key",
        "-out",
        name + ".csr",
        "-subj",
        subject);
    openssl(
        dir,
        "x509",
        "-req",
        "-in",
        name + ".csr",
        "-CA",
        ca + ".pem",
        "-CAkey",
        ca + ".key",
        "-CAcreateserial",
        "-out",
        name + ".pem",
        "-days",
        "2",
        "-extfile",
        ext);
  }

  private static void openssl(Path dir, String... args) throws IOException {
    String[] command = new String[args.length + 1];
    command[0] = OPENSSL;
    System.arraycopy(args, 0, command, 1, args.length);
    Process p =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException("openssl " + String.join(" ", args) + " failed: " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running openssl", e);
    }
  }

  /**
   * {@code openssl s_client} sending its standard input to {@code 127.0.0.1:port} over mutual TLS
   * with this PKI's client certificate, trusting only its CA, quiet, and staying until the server
   * closes after the input ends: a real RFC 5425 sender.
   */
  public String[] mutualTlsClient(int port) {
    return new String[] {
      OPENSSL,
      "s_client",
      "-connect",
      "127.0.0.1:" + port,
      "-CAfile",
      ca().toString(),
      "-cert",
      clientCert().toString(),
      "-key",
      clientKey().toString(),
      "-verify_return_error",
      "-quiet",
      "-no_ign_eof"
    };
  }

  public Path ca() {
    return dir.resolve("ca.pem");
  }

  public Path serverCert() {
    return dir.resolve("server.pem");
  }

  public Path serverKey() {
    return dir.resolve("server.key");
  }

  public Path clientCert() {
    return dir.resolve("client.pem");
  }

  public Path clientKey() {
    return dir.resolve("client.key");
  }

  public Path rogueCert() {
    return dir.resolve("rogue.pem");
  }

  public Path rogueKey() {
    return dir.resolve("rogue.key");
  }
}
