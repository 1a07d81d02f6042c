package org.atnabridge.search.security;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.time.Duration;
import java.util.Map;

/**
 * What an OpenID Connect provider's discovery document ({@code
 * <issuer>/.well-known/openid-configuration}, OIDC Discovery §4) says: where browsers are sent to
 * sign in, where codes are exchanged, where the signing keys are. The document must name exactly
 * the configured issuer (§4.3: otherwise a document could speak for another issuer), and every
 * endpoint must be HTTPS, or plain HTTP on a loopback address (a provider on the same machine, for
 * trials).
 *
 * @param issuer the configured issuer, as the document repeats it
 */
public record OidcProvider(
    String issuer, URI authorizationEndpoint, URI tokenEndpoint, URI jwksUri) {

  static final String WELL_KNOWN = "/.well-known/openid-configuration";
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  public OidcProvider {
    secure(authorizationEndpoint, "authorization_endpoint");
    secure(tokenEndpoint, "token_endpoint");
    secure(jwksUri, "jwks_uri");
  }

  /** The discovery document's URL for {@code issuer} (OIDC Discovery §4.1). */
  public static URI discoveryUrl(String issuer) {
    URI uri;
    try {
      uri =
          URI.create(
              (issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer)
                  + WELL_KNOWN);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--oidc-issuer is not a URL: " + issuer, e);
    }
    secure(uri, "--oidc-issuer");
    return uri;
  }

  /**
   * Fetches and checks the discovery document of {@code issuer}.
   *
   * @throws IllegalArgumentException naming {@code --oidc-issuer} and what is wrong
   */
  public static OidcProvider discover(String issuer, HttpClient http) {
    URI url = discoveryUrl(issuer);
    HttpResponse<String> response;
    try {
      response =
          http.send(
              HttpRequest.newBuilder(url)
                  .timeout(TIMEOUT)
                  .header("Accept", "application/json")
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "--oidc-issuer: cannot fetch " + url + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while fetching " + url, e);
    }
    if (response.statusCode() != 200) {
      throw new IllegalArgumentException(
          "--oidc-issuer: " + url + " answered " + response.statusCode());
    }
    return parse(issuer, response.body());
  }

  /** The provider a discovery document describes, checked against the configured issuer. */
  public static OidcProvider parse(String issuer, String document) {
    Map<String, Object> json;
    try {
      json = JSONObjectUtils.parse(document);
    } catch (ParseException e) {
      throw new IllegalArgumentException(
          "--oidc-issuer: the discovery document is not JSON: " + e.getMessage(), e);
    }
    String named = string(json, "issuer");
    if (!issuer.equals(named)) {
      throw new IllegalArgumentException(
          "--oidc-issuer is " + issuer + " but its discovery document names the issuer " + named);
    }
    return new OidcProvider(
        issuer,
        uri(json, "authorization_endpoint"),
        uri(json, "token_endpoint"),
        uri(json, "jwks_uri"));
  }

  private static String string(Map<String, Object> json, String member) {
    if (!(json.get(member) instanceof String s) || s.isBlank()) {
      throw new IllegalArgumentException("--oidc-issuer: the discovery document has no " + member);
    }
    return s;
  }

  private static URI uri(Map<String, Object> json, String member) {
    try {
      return new URI(string(json, member));
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException(
          "--oidc-issuer: the discovery document's " + member + " is not a URL", e);
    }
  }

  /** HTTPS, or HTTP to a loopback address; never anything else. */
  static void secure(URI uri, String what) {
    String scheme = uri.getScheme();
    if ("https".equals(scheme) && uri.getHost() != null) {
      return;
    }
    if ("http".equals(scheme) && uri.getHost() != null && isLoopback(uri.getHost())) {
      return;
    }
    throw new IllegalArgumentException(
        what + " must be an https URL (plain http only on a loopback address), got: " + uri);
  }

  private static boolean isLoopback(String host) {
    if (host.equals("localhost")) {
      return true;
    }
    try {
      // only literal addresses: a name that resolves to loopback today may not tomorrow
      return isLiteral(host) && InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static boolean isLiteral(String host) {
    return host.startsWith("[") || host.chars().allMatch(c -> c == '.' || Character.isDigit(c));
  }
}
