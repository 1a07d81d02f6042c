package org.atnabridge.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Security for a test Elasticsearch node, as an operator turns it on: HTTPS with a certificate of
 * {@code pki} (its server certificate names 127.0.0.1) and a superuser of the file realm.
 *
 * @param pki the CA and server certificate
 * @param user the superuser's name
 * @param password its password
 */
public record ElasticsearchSecurity(TestPki pki, String user, String password) {

  /** The {@code Authorization} header value of HTTP Basic for {@link #user}. */
  public String basicAuthorization() {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** TLS trusting only the PKI's CA: what a client configured with that CA file does. */
  public SSLContext sslContext() {
    try (InputStream in = Files.newInputStream(pki.ca())) {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      trust.setCertificateEntry(
          "ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot trust " + pki.ca() + ": " + e.getMessage(), e);
    }
  }
}
