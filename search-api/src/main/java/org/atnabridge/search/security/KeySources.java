package org.atnabridge.search.security;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
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
import java.util.List;
import java.util.Set;

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

  /**
   * A fixed key set in which keys without a {@code kid} (a PEM key has none) are candidates for any
   * token of their key type; keys with one are matched by it as usual.
   */
  static JWKSource<SecurityContext> kidOptional(JWKSet keys) {
    return (selector, context) -> {
      List<JWK> matches = selector.select(keys);
      if (!matches.isEmpty()) {
        return matches;
      }
      Set<KeyType> types = selector.getMatcher().getKeyTypes();
      return keys.getKeys().stream()
          .filter(k -> k.getKeyID() == null)
          .filter(k -> types == null || types.contains(k.getKeyType()))
          .toList();
    };
  }

  /**
   * A file holding a JWK Set, one JWK, or PEM public keys / certificates; only public parts are
   * kept.
   */
  public static JWKSource<SecurityContext> file(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "--oidc-key-file cannot be read: " + file + ": " + e.getMessage(), e);
    }
    try {
      JWKSet set;
      if (text.startsWith("-----")) {
        set = new JWKSet(PemKeys.publicJwks(file));
      } else if (text.contains("\"keys\"")) {
        set = JWKSet.parse(text);
      } else {
        set = new JWKSet(JWK.parse(text));
      }
      JWKSet publicOnly = set.toPublicJWKSet();
      if (publicOnly.isEmpty()) {
        throw new IllegalArgumentException("--oidc-key-file holds no public key: " + file);
      }
      return kidOptional(publicOnly);
    } catch (ParseException e) {
      throw new IllegalArgumentException(
          "--oidc-key-file is no JWK, JWK Set or PEM public key: " + file, e);
    }
  }
}
