package org.atnabridge.search.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** The discovery document must speak for the configured issuer, over HTTPS. */
class OidcProviderTest {

  private static final String DOC =
      "{\"issuer\":\"%s\",\"authorization_endpoint\":\"%s/auth\",\"token_endpoint\":\"%s/token\","
          + "\"jwks_uri\":\"%s/certs\"}";

  private static String doc(String issuer, String base) {
    return DOC.formatted(issuer, base, base, base);
  }

  @Test
  void theEndpoints_comeFromTheDocumentOfTheIssuer() {
    OidcProvider p =
        OidcProvider.parse(
            "https://idp.example/realms/a",
            doc("https://idp.example/realms/a", "https://idp.example/realms/a/protocol"));
    assertThat(p.authorizationEndpoint())
        .isEqualTo(URI.create("https://idp.example/realms/a/protocol/auth"));
    assertThat(p.tokenEndpoint()).hasToString("https://idp.example/realms/a/protocol/token");
    assertThat(p.jwksUri()).hasToString("https://idp.example/realms/a/protocol/certs");
    assertThat(OidcProvider.discoveryUrl("https://idp.example/realms/a/"))
        .hasToString("https://idp.example/realms/a/.well-known/openid-configuration");
  }

  @Test
  void aDocumentNamingAnotherIssuer_isRefused() {
    assertThatThrownBy(
            () ->
                OidcProvider.parse(
                    "https://idp.example/realms/a",
                    doc("https://idp.example/realms/b", "https://idp.example")))
        .hasMessageContaining("--oidc-issuer")
        .hasMessageContaining("realms/b");
  }

  @Test
  void plainHttp_isRefused_exceptOnLoopback() {
    assertThatThrownBy(() -> OidcProvider.discoveryUrl("http://idp.example"))
        .hasMessageContaining("--oidc-issuer must be an https URL");
    assertThatThrownBy(
            () ->
                OidcProvider.parse(
                    "https://idp.example", doc("https://idp.example", "http://idp.example")))
        .hasMessageContaining("authorization_endpoint must be an https URL");
    assertThat(OidcProvider.discoveryUrl("http://127.0.0.1:8180/realms/t"))
        .hasToString("http://127.0.0.1:8180/realms/t/.well-known/openid-configuration");
    assertThat(OidcProvider.parse("http://[::1]:9", doc("http://[::1]:9", "http://localhost:9")))
        .isNotNull();
  }

  @Test
  void aDocumentWithoutAnEndpoint_isRefused() {
    assertThatThrownBy(
            () ->
                OidcProvider.parse(
                    "https://idp.example",
                    "{\"issuer\":\"https://idp.example\",\"authorization_endpoint\":\"https://idp.example/a\"}"))
        .hasMessageContaining("no token_endpoint");
    assertThatThrownBy(() -> OidcProvider.parse("https://idp.example", "<html>"))
        .hasMessageContaining("not JSON");
  }
}
