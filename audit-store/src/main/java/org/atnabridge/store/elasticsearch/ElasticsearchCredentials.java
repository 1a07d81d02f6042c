package org.atnabridge.store.elasticsearch;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.message.BasicHeader;
import org.atnabridge.schemas.pem.PemFiles;
import org.jspecify.annotations.Nullable;

/**
 * How the store proves itself to a cluster with security on, and which certificate authority it
 * trusts for the cluster's HTTPS: an API key ({@code Authorization: ApiKey ...}) or a user and
 * password (HTTP Basic), and a PEM CA file. Secrets never appear in {@link #toString()} nor in any
 * message.
 *
 * @param caFile PEM file (or directory) of CA certificates trusted for {@code https} URLs; null =
 *     the JDK's default trust store
 * @param apiKey the encoded API key as Elasticsearch returns it ({@code encoded}), or null
 * @param user the user of HTTP Basic, or null
 * @param password its password, or null
 */
public record ElasticsearchCredentials(
    @Nullable Path caFile,
    @Nullable String apiKey,
    @Nullable String user,
    @Nullable String password) {

  /** Nothing: plain HTTP or the JDK's trust store, no authentication. */
  public static final ElasticsearchCredentials NONE =
      new ElasticsearchCredentials(null, null, null, null);

  public ElasticsearchCredentials {
    if (apiKey != null && user != null) {
      throw new IllegalArgumentException("an API key or a user and password, not both");
    }
    if ((user == null) != (password == null)) {
      throw new IllegalArgumentException("a user needs a password, and a password a user");
    }
    if (apiKey != null && apiKey.isBlank()) {
      throw new IllegalArgumentException("the API key is empty");
    }
  }

  /** The Authorization header every request carries, if any. */
  Header[] headers() {
    List<Header> out = new ArrayList<>();
    if (apiKey != null) {
      out.add(new BasicHeader("Authorization", "ApiKey " + apiKey.strip()));
    } else if (user != null && password != null) {
      String basic =
          Base64.getEncoder()
              .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
      out.add(new BasicHeader("Authorization", "Basic " + basic));
    }
    return out.toArray(Header[]::new);
  }

  /** TLS trusting only {@link #caFile}'s authorities, or null for the JDK default. */
  @Nullable SSLContext sslContext() {
    if (caFile == null) {
      return null;
    }
    try {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      int i = 0;
      for (X509Certificate ca : PemFiles.trustAnchors(caFile, "--elasticsearch-ca")) {
        trust.setCertificateEntry("ca-" + i++, ca);
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalArgumentException(
          "--elasticsearch-ca " + caFile + ": cannot build a trust store: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "ElasticsearchCredentials[caFile="
        + caFile
        + ", auth="
        + (apiKey != null ? "api key" : user != null ? "user " + user : "none")
        + "]";
  }
}
