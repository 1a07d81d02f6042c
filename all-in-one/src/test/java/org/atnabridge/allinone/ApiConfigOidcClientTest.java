package org.atnabridge.allinone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.atnabridge.search.console.OidcClient;
import org.atnabridge.search.security.AuthSettings;
import org.atnabridge.search.security.CorsSettings;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console's OpenID Connect client settings fail at start, naming the option. */
class ApiConfigOidcClientTest {

  @TempDir Path dir;

  private static ApiConfig config(
      @Nullable String issuer,
      @Nullable URI jwks,
      @Nullable String clientId,
      @Nullable Path secret,
      String scopes) {
    return new ApiConfig(
        issuer,
        jwks,
        null,
        "atna-bridge",
        AuthSettings.DEFAULT_CLOCK_SKEW,
        AuthSettings.DEFAULT_PATIENT_CLAIM,
        AuthSettings.DEFAULT_CLEARANCE_CLAIM,
        null,
        AuthSettings.DeniedRead.NOT_FOUND,
        false,
        null,
        null,
        CorsSettings.off(),
        ApiConfig.Edge.defaults(),
        clientId,
        secret,
        scopes);
  }

  @Test
  void aClientId_letsTheDiscoveryDocumentGiveTheKeys_andReadsTheSecretFile() throws Exception {
    Path secret = Files.writeString(dir.resolve("secret"), "s3cret\n");
    ApiConfig c =
        config("https://idp.example/realms/a", null, "console", secret, OidcClient.DEFAULT_SCOPES);
    OidcClient client = c.oidcClient();
    assertThat(client).isNotNull();
    assertThat(client.clientSecret()).isEqualTo("s3cret");
    assertThat(client.toString()).doesNotContain("s3cret");
    assertThat(ApiConfig.defaults().oidcClient()).isNull();
  }

  @Test
  void badSettings_failNamingTheOption() {
    String scopes = OidcClient.DEFAULT_SCOPES;
    assertThatThrownBy(() -> config(null, null, "console", null, scopes))
        .hasMessage("--oidc-client-id needs --oidc-issuer");
    assertThatThrownBy(
            () ->
                config(
                    "https://idp.example",
                    URI.create("https://idp.example/certs"),
                    null,
                    dir.resolve("secret"),
                    scopes))
        .hasMessage("--oidc-client-secret-file needs --oidc-client-id");
    assertThatThrownBy(
            () -> config("https://idp.example", null, "console", dir.resolve("missing"), scopes))
        .hasMessageContaining("--oidc-client-secret-file is not a readable file");
    assertThatThrownBy(() -> config("https://idp.example", null, null, null, scopes))
        .hasMessageContaining("--oidc-issuer needs exactly one of --oidc-jwks-url");
    assertThatThrownBy(() -> config("http://idp.example", null, "console", null, scopes))
        .hasMessageContaining("--oidc-issuer must be an https URL");
    assertThatThrownBy(() -> config("https://idp.example", null, "console", null, "profile"))
        .hasMessageContaining("--oidc-scopes must include openid");
  }
}
