package org.atnabridge.search.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.testing.KafkaBrokerExtension;
import org.atnabridge.testing.TestPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API's transport and deployment settings, each on its own running server: HTTPS, CORS, keys
 * from a JWKS URL with rotation, the 403 read policy and the development relaxation.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ApiTransportIT {

  private final TestIssuer issuer = new TestIssuer();
  private final String token = issuer.es256(TestIssuer.claims("officer", ApiSecurityIT.READ_ALL));

  @Test
  void https_trustedClient_isServedWithHsts_untrustedClientAndPlainHttpAreNot(
      EmbeddedKafkaBroker kafka, @TempDir Path dir) throws Exception {
    TestPki pki = TestPki.create(dir.resolve("pki"));
    try (SecuredApi api =
        SecuredApi.start(
            kafka,
            dir.resolve("index"),
            issuer.settings(),
            ApiSecurityIT.events(),
            s -> s.https(pki.serverCert(), pki.serverKey()))) {
      String base = api.server().baseUrl();
      assertThat(base).startsWith("https://127.0.0.1:");

      HttpClient trusting = HttpClient.newBuilder().sslContext(trusting(pki.ca())).build();
      HttpResponse<String> ok =
          trusting.send(
              HttpRequest.newBuilder(URI.create(base + "/AuditEvent/p1-ref"))
                  .header("Authorization", "Bearer " + token)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(ok.headers().firstValue("Strict-Transport-Security"))
          .get()
          .asString()
          .startsWith("max-age=31536000");
      assertThat(ok.sslSession()).get().extracting(s -> s.getProtocol()).isIn("TLSv1.3", "TLSv1.2");

      // a client that does not trust the server's CA (the JDK's default trust store) refuses the
      // handshake
      assertThatThrownBy(
              () ->
                  HttpClient.newHttpClient()
                      .send(
                          HttpRequest.newBuilder(URI.create(base + "/metadata")).build(),
                          HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(SSLHandshakeException.class);

      // TLS 1.1 is not offered
      SSLContext tls11 = trusting(pki.ca());
      HttpClient old =
          HttpClient.newBuilder()
              .sslContext(tls11)
              .sslParameters(new javax.net.ssl.SSLParameters(null, new String[] {"TLSv1.1"}))
              .build();
      assertThatThrownBy(
              () ->
                  old.send(
                      HttpRequest.newBuilder(URI.create(base + "/metadata")).build(),
                      HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(IOException.class);

      // plain HTTP to the TLS port gets no HTTP answer
      String plain = base.replace("https://", "http://");
      assertThatThrownBy(
              () -> {
                HttpResponse<String> r =
                    HttpClient.newHttpClient()
                        .send(
                            HttpRequest.newBuilder(URI.create(plain + "/metadata")).build(),
                            HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isNotEqualTo(200);
                throw new IOException("answered " + r.statusCode());
              })
          .isInstanceOf(IOException.class);
    }
  }

  @Test
  void cors_allowListedOriginOnly(EmbeddedKafkaBroker kafka, @TempDir Path dir) {
    CorsSettings cors =
        CorsSettings.of(List.of("https://console.example.org"), List.of(), List.of());
    try (SecuredApi api =
        SecuredApi.start(
            kafka, dir, issuer.settings(), ApiSecurityIT.events(), s -> s.cors(cors))) {
      String url = api.server().baseUrl() + "/AuditEvent";
      HttpResponse<String> preflight =
          SecuredApi.send(
              HttpRequest.newBuilder(URI.create(url))
                  .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                  .header("Origin", "https://console.example.org")
                  .header("Access-Control-Request-Method", "GET")
                  .header("Access-Control-Request-Headers", "authorization"),
              null);
      assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin"))
          .hasValue("https://console.example.org");
      assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods"))
          .get()
          .asString()
          .contains("GET");
      assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers"))
          .get()
          .asString()
          .containsIgnoringCase("authorization");

      HttpResponse<String> get =
          SecuredApi.send(
              HttpRequest.newBuilder(URI.create(url))
                  .header("Origin", "https://console.example.org"),
              token);
      assertThat(get.statusCode()).isEqualTo(200);
      assertThat(get.headers().firstValue("Access-Control-Allow-Origin"))
          .hasValue("https://console.example.org");
      assertThat(get.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();

      HttpResponse<String> evilPreflight =
          SecuredApi.send(
              HttpRequest.newBuilder(URI.create(url))
                  .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                  .header("Origin", "https://evil.example")
                  .header("Access-Control-Request-Method", "GET"),
              null);
      assertThat(evilPreflight.headers().map().keySet())
          .noneMatch(h -> h.toLowerCase().startsWith("access-control-"));
      HttpResponse<String> evilGet =
          SecuredApi.send(
              HttpRequest.newBuilder(URI.create(url)).header("Origin", "https://evil.example"),
              token);
      assertThat(evilGet.headers().map().keySet())
          .noneMatch(h -> h.toLowerCase().startsWith("access-control-"));
    }
  }

  @Test
  void jwksUrl_keysAreFetched_andAnUnknownKidRefreshesThem(
      EmbeddedKafkaBroker kafka, @TempDir Path dir) throws Exception {
    ECKey first = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
    ECKey second = new ECKeyGenerator(Curve.P_256).keyID("k2").generate();
    AtomicReference<JWKSet> published = new AtomicReference<>(new JWKSet(first.toPublicJWK()));
    AtomicInteger fetches = new AtomicInteger();
    HttpServer idp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    idp.createContext(
        "/jwks",
        exchange -> {
          fetches.incrementAndGet();
          byte[] body = published.get().toString().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    idp.start();
    try (SecuredApi api =
        SecuredApi.start(
            kafka,
            dir,
            AuthSettings.of(
                TestIssuer.ISSUER,
                TestIssuer.AUDIENCE,
                KeySources.jwksUrl(
                    URI.create("http://127.0.0.1:" + idp.getAddress().getPort() + "/jwks"))),
            ApiSecurityIT.events(),
            s -> s)) {
      assertThat(api.get("/AuditEvent/p1-ref", sign(first)).statusCode()).isEqualTo(200);
      assertThat(api.get("/AuditEvent/p1-ref", sign(first)).statusCode()).isEqualTo(200);
      assertThat(fetches.get()).as("cached").isEqualTo(1);

      published.set(new JWKSet(List.of(second.toPublicJWK()))); // the provider rotates its key
      assertThat(api.get("/AuditEvent/p1-ref", sign(second)).statusCode()).isEqualTo(200);
      assertThat(fetches.get()).as("refetched for the unknown kid").isEqualTo(2);
    } finally {
      idp.stop(0);
    }
  }

  @Test
  void keyFile_pemPublicKey_isAccepted(EmbeddedKafkaBroker kafka, @TempDir Path dir)
      throws Exception {
    Path pem = dir.resolve("idp.pem");
    Files.writeString(
        pem,
        "-----BEGIN PUBLIC KEY-----\n"
            + java.util.Base64.getMimeEncoder().encodeToString(issuer.ec.toPublicKey().getEncoded())
            + "\n-----END PUBLIC KEY-----\n");
    try (SecuredApi api =
        SecuredApi.start(
            kafka,
            dir.resolve("index"),
            AuthSettings.of(TestIssuer.ISSUER, TestIssuer.AUDIENCE, KeySources.file(pem)),
            ApiSecurityIT.events(),
            s -> s)) {
      assertThat(api.get("/AuditEvent/p1-ref", token).statusCode()).isEqualTo(200);
      assertThat(
              api.get(
                      "/AuditEvent/p1-ref",
                      issuer.rs256(TestIssuer.claims("x", ApiSecurityIT.READ_ALL)))
                  .statusCode())
          .isEqualTo(401);
    }
  }

  @Test
  void deniedReadPolicy403_answers403ForInvisibleEvents_and404ForMissingOnes(
      EmbeddedKafkaBroker kafka, @TempDir Path dir) {
    try (SecuredApi api =
        SecuredApi.start(
            kafka,
            dir,
            issuer.settings().withDeniedRead(AuthSettings.DeniedRead.FORBIDDEN),
            ApiSecurityIT.events(),
            s -> s)) {
      String patient =
          issuer.es256(
              TestIssuer.claims("portal", "patient/AuditEvent.rs", b -> b.claim("patient", "p1")));
      HttpResponse<String> denied = api.get("/AuditEvent/p2-ref", patient);
      assertThat(denied.statusCode()).isEqualTo(403);
      ApiSecurityIT.assertOpaqueOutcome(denied);
      assertThat(api.get("/AuditEvent/no-such-event", patient).statusCode()).isEqualTo(404);
      assertThat(api.get("/AuditEvent/p1-ref", patient).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void devAllowUnauthenticated_servesWithoutToken_butStillChecksPresentedTokens(
      EmbeddedKafkaBroker kafka, @TempDir Path dir) {
    try (SecuredApi api =
        SecuredApi.start(
            kafka,
            dir,
            issuer.settings().withAllowUnauthenticated(true),
            ApiSecurityIT.events(),
            s -> s)) {
      assertThat(ApiSecurityIT.ids(api.get("/AuditEvent", null))).hasSize(7);
      assertThat(
              api.get(
                      "/AuditEvent",
                      TestIssuer.unsigned(TestIssuer.claims("x", ApiSecurityIT.READ_ALL)))
                  .statusCode())
          .isEqualTo(401);
    }
  }

  private static String sign(ECKey key) {
    try {
      com.nimbusds.jwt.SignedJWT jwt =
          new com.nimbusds.jwt.SignedJWT(
              new com.nimbusds.jose.JWSHeader.Builder(com.nimbusds.jose.JWSAlgorithm.ES256)
                  .keyID(key.getKeyID())
                  .build(),
              TestIssuer.claims("rotating", ApiSecurityIT.READ_ALL));
      jwt.sign(new com.nimbusds.jose.crypto.ECDSASigner(key));
      return jwt.serialize();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static SSLContext trusting(Path caPem) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(caPem)) {
      trust.setCertificateEntry(
          "ca", (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }
}
