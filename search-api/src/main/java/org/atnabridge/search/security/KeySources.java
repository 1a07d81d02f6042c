package org.atnabridge.search.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;

/** Where verification keys come from: an identity provider's JWKS URL, or a local file. */
public final class KeySources {

  /** Keys are re-fetched at most this often when a token names an unknown {@code kid}. */
  public static final Duration MIN_REFRESH_INTERVAL = Duration.ofSeconds(10);
  static final Duration CACHE_TIME = Duration.ofMinutes(15);

  private KeySources() {}

  /**
   * A JWKS URL: fetched on first use and cached; a token whose {@code kid} is not in the cache
   * triggers a refetch (key rotation), rate-limited so that forged kids cannot flood the provider.
   */
  public static JWKSource<SecurityContext> jwksUrl(URI url) {
    try {
      return JWKSourceBuilder.<SecurityContext>create(url.toURL())
          .cache(CACHE_TIME.toMillis(), Duration.ofSeconds(15).toMillis())
          .rateLimited(MIN_REFRESH_INTERVAL.toMillis())
          .refreshAheadCache(false)
          .retrying(true)
          .build();
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException("--oidc-jwks-url is not a URL: " + url, e);
    }
  }

  /** A file holding a JWK Set, one JWK, or PEM public keys / certificates; only public parts are kept. */
  public static JWKSource<SecurityContext> file(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new IllegalArgumentException("--oidc-key-file cannot be read: " + file + ": " + e.getMessage(), e);
    }
    try {
      JWKSet set;
      if (text.startsWith("-----")) {
        set = new JWKSet(JWK.parseFromPEMEncodedObjects(text));
      } else if (text.contains("\"keys\"")) {
        set = JWKSet.parse(text);
      } else {
        set = new JWKSet(JWK.parse(text));
      }
      JWKSet publicOnly = set.toPublicJWKSet();
      if (publicOnly.isEmpty()) {
        throw new IllegalArgumentException("--oidc-key-file holds no public key: " + file);
      }
      return new ImmutableJWKSet<>(publicOnly);
    } catch (ParseException | JOSEException e) {
      throw new IllegalArgumentException("--oidc-key-file is no JWK, JWK Set or PEM public key: " + file, e);
    }
  }
}
