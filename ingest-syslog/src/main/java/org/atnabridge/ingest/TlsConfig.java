package org.atnabridge.ingest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * TLS settings of an RFC 5425 listener. The listener is the TLS server; by default it requires a
 * client certificate that chains to one of the trust anchors (ATNA mutual node authentication, IHE
 * ITI-19), and refuses any other peer during the handshake.
 *
 * @param certificateChain PEM file: the server certificate, then its intermediates
 * @param privateKey PEM file with the server's unencrypted PKCS#8 private key ({@code BEGIN PRIVATE
 *     KEY})
 * @param trustAnchors a PEM file, or a directory whose {@code *.pem}, {@code *.crt} and {@code
 *     *.cer} files hold the CA certificates client certificates must chain to
 * @param protocols enabled protocol versions, e.g. {@code TLSv1.3, TLSv1.2}; RFC 5425 mandates TLS
 *     1.2, IHE ATNA's "STX: TLS 1.2 Floor using BCP195" option forbids anything older
 * @param cipherSuites enabled suites (JSSE names); empty means the JDK's defaults
 * @param clientAuth whether a client certificate is required (the ATNA default), optional, or not
 *     requested
 * @param handshakeTimeout a handshake not finished within this time is abandoned
 */
public record TlsConfig(
    Path certificateChain,
    Path privateKey,
    Path trustAnchors,
    List<String> protocols,
    List<String> cipherSuites,
    ClientAuth clientAuth,
    Duration handshakeTimeout) {

  /** TLS 1.3 and 1.2, the versions RFC 9662 and IHE ATNA STX allow. */
  public static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

  public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

  /** Client certificate policy of the TLS server. */
  public enum ClientAuth {
    /** Handshake fails without a trusted client certificate (IHE ATNA mutual authentication). */
    REQUIRE,
    /** A client certificate is requested; if one is sent it must be trusted. */
    OPTIONAL,
    /** No client certificate is requested (server authentication only). */
    NONE
  }

  public TlsConfig {
    readable("tlsCertificate", certificateChain);
    readable("tlsKey", privateKey);
    Objects.requireNonNull(trustAnchors, "tlsTrust");
    if (!Files.isReadable(trustAnchors)) {
      throw new IllegalArgumentException(
          "tlsTrust is not a readable file or directory: " + trustAnchors);
    }
    protocols = List.copyOf(Objects.requireNonNull(protocols, "tlsProtocols"));
    if (protocols.isEmpty()) {
      throw new IllegalArgumentException("tlsProtocols is empty");
    }
    for (String p : protocols) {
      if (!p.equals("TLSv1.2") && !p.equals("TLSv1.3")) {
        throw new IllegalArgumentException(
            "tlsProtocols: " + p + " is not allowed (TLSv1.2 and TLSv1.3 only)");
      }
    }
    cipherSuites = List.copyOf(Objects.requireNonNull(cipherSuites, "tlsCipherSuites"));
    Objects.requireNonNull(clientAuth, "tlsClientAuth");
    Objects.requireNonNull(handshakeTimeout, "tlsHandshakeTimeout");
    if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
      throw new IllegalArgumentException("tlsHandshakeTimeout <= 0: " + handshakeTimeout);
    }
  }

  /** Mutual TLS 1.3/1.2 with the JDK's suites and a 10 s handshake timeout. */
  public static TlsConfig mutual(Path certificateChain, Path privateKey, Path trustAnchors) {
    return new TlsConfig(
        certificateChain,
        privateKey,
        trustAnchors,
        DEFAULT_PROTOCOLS,
        List.of(),
        ClientAuth.REQUIRE,
        DEFAULT_HANDSHAKE_TIMEOUT);
  }

  public TlsConfig withClientAuth(ClientAuth mode) {
    return new TlsConfig(
        certificateChain,
        privateKey,
        trustAnchors,
        protocols,
        cipherSuites,
        mode,
        handshakeTimeout);
  }

  public TlsConfig withProtocols(List<String> newProtocols) {
    return new TlsConfig(
        certificateChain,
        privateKey,
        trustAnchors,
        newProtocols,
        cipherSuites,
        clientAuth,
        handshakeTimeout);
  }

  private static void readable(String setting, Path file) {
    Objects.requireNonNull(file, setting);
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new IllegalArgumentException(setting + " is not a readable file: " + file);
    }
  }
}
