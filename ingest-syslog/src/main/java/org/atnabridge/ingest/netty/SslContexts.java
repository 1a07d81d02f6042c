package org.atnabridge.ingest.netty;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLException;
import org.atnabridge.ingest.TlsConfig;
import org.atnabridge.schemas.pem.PemFiles;

/**
 * Builds the server {@link SslContext} of an RFC 5425 listener from PEM files. Every failure names
 * the setting and the file, so that a bad configuration stops the start-up.
 */
public final class SslContexts {

  private SslContexts() {}

  public static SslContext server(TlsConfig tls) {
    List<X509Certificate> anchors = trustAnchors(tls.trustAnchors());
    // the same PEM reading as the HTTPS API (PemFiles), so both accept exactly the same files
    SslContextBuilder builder =
        SslContextBuilder.forServer(
            PemFiles.privateKey(tls.privateKey(), "tlsKey"),
            PemFiles.certificates(tls.certificateChain(), "tlsCertificate")
                .toArray(X509Certificate[]::new));
    builder
        .sslProvider(SslProvider.JDK)
        .protocols(tls.protocols())
        .trustManager(anchors.toArray(X509Certificate[]::new))
        .clientAuth(
            switch (tls.clientAuth()) {
              case REQUIRE -> ClientAuth.REQUIRE;
              case OPTIONAL -> ClientAuth.OPTIONAL;
              case NONE -> ClientAuth.NONE;
            });
    if (!tls.cipherSuites().isEmpty()) {
      builder.ciphers(tls.cipherSuites());
    }
    try {
      SslContext context = builder.build();
      // fail now, not at the first handshake, on suites the JDK does not know
      if (!tls.cipherSuites().isEmpty() && context.cipherSuites().isEmpty()) {
        throw new IllegalArgumentException(
            "tlsCipherSuites: none of " + tls.cipherSuites() + " is supported");
      }
      return context;
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "TLS settings rejected (tlsCertificate "
              + tls.certificateChain()
              + ", tlsKey "
              + tls.privateKey()
              + ", tlsProtocols "
              + tls.protocols()
              + "): "
              + e.getMessage(),
          e);
    }
  }

  /**
   * Every X.509 certificate in a PEM file, or in the {@code *.pem|*.crt|*.cer} files of a
   * directory.
   */
  static List<X509Certificate> trustAnchors(Path fileOrDir) {
    return PemFiles.trustAnchors(fileOrDir, "tlsTrust");
  }
}
