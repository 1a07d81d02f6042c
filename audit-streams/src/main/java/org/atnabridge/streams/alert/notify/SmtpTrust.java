package org.atnabridge.streams.alert.notify;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.atnabridge.schemas.pem.PemFiles;

/**
 * The TLS client of an e-mail channel whose {@code smtp.trust} names its own certificates: the
 * server's certificate must chain to one of them (PKIX), the JVM's trust store is not consulted.
 * The host name is still checked by Jakarta Mail ({@code mail.smtp.ssl.checkserveridentity}).
 */
final class SmtpTrust {

  private SmtpTrust() {}

  /**
   * Read at every attempt, so that a renewed CA file is used without a reload.
   *
   * @throws IllegalArgumentException when the file is gone or holds no certificate
   */
  static SSLSocketFactory socketFactory(Path trust) throws GeneralSecurityException {
    List<X509Certificate> anchors = PemFiles.trustAnchors(trust, "trust");
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    try {
      store.load(null, null);
    } catch (IOException e) {
      throw new GeneralSecurityException("cannot create an empty key store", e);
    }
    for (int i = 0; i < anchors.size(); i++) {
      store.setCertificateEntry("anchor-" + i, anchors.get(i));
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context.getSocketFactory();
  }
}
