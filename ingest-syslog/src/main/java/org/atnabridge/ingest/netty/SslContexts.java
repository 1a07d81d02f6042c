package org.atnabridge.ingest.netty;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.net.ssl.SSLException;
import org.atnabridge.ingest.TlsConfig;

/**
 * Builds the server {@link SslContext} of an RFC 5425 listener from PEM files. Every failure names
 * the setting and the file, so that a bad configuration stops the start-up.
 */
public final class SslContexts {

  private SslContexts() {}

  public static SslContext server(TlsConfig tls) {
    List<X509Certificate> anchors = trustAnchors(tls.trustAnchors());
    SslContextBuilder builder;
    try {
      builder = SslContextBuilder.forServer(tls.certificateChain().toFile(), tls.privateKey().toFile());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("tlsCertificate/tlsKey: cannot read " + tls.certificateChain() + " and "
          + tls.privateKey() + " (PEM certificate chain and unencrypted PKCS#8 key expected): " + e.getMessage(), e);
    }
    builder.sslProvider(SslProvider.JDK)
        .protocols(tls.protocols())
        .trustManager(anchors.toArray(X509Certificate[]::new))
        .clientAuth(switch (tls.clientAuth()) {
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
        throw new IllegalArgumentException("tlsCipherSuites: none of " + tls.cipherSuites() + " is supported");
      }
      return context;
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalArgumentException("TLS settings rejected (tlsCertificate " + tls.certificateChain()
          + ", tlsKey " + tls.privateKey() + ", tlsProtocols " + tls.protocols() + "): " + e.getMessage(), e);
    }
  }

  /** Every X.509 certificate in a PEM file, or in the {@code *.pem|*.crt|*.cer} files of a directory. */
  static List<X509Certificate> trustAnchors(Path fileOrDir) {
    List<Path> files = new ArrayList<>();
    if (Files.isDirectory(fileOrDir)) {
      try (Stream<Path> list = Files.list(fileOrDir)) {
        list.filter(Files::isRegularFile).filter(p -> {
          String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
          return n.endsWith(".pem") || n.endsWith(".crt") || n.endsWith(".cer");
        }).sorted().forEach(files::add);
      } catch (IOException e) {
        throw new IllegalArgumentException("tlsTrust: cannot list " + fileOrDir + ": " + e.getMessage(), e);
      }
    } else {
      files.add(fileOrDir);
    }
    List<X509Certificate> anchors = new ArrayList<>();
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      for (Path file : files) {
        try (InputStream in = Files.newInputStream(file)) {
          factory.generateCertificates(in).forEach(c -> anchors.add((X509Certificate) c));
        } catch (IOException | CertificateException e) {
          throw new IllegalArgumentException("tlsTrust: " + file + " is not a PEM certificate file: " + e.getMessage(), e);
        }
      }
    } catch (CertificateException e) {
      throw new IllegalStateException("no X.509 certificate factory", e);
    }
    if (anchors.isEmpty()) {
      throw new IllegalArgumentException("tlsTrust: no certificate found in " + fileOrDir);
    }
    return anchors;
  }
}
