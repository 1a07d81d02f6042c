package org.atnabridge.allinone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console signing in with an external OpenID Connect provider, in a real headless Chromium
 * against the packaged {@code serve --oidc-issuer --oidc-client-id --oidc-client-secret-file}. The
 * provider is a small one in this test (JDK HTTP server): a discovery document, an authorization
 * endpoint that records the PKCE challenge and sends the browser back with a code, a token endpoint
 * that checks the client secret and that S256(code_verifier) is the recorded challenge before it
 * signs an ID token and an access token (ES256), and its JWKS. The API takes its endpoints and keys
 * from the discovery document alone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleOidcBrowserIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String PATIENTS = "urn:oid:1.2.3";
  private static final String CLIENT = "atna-console";
  private static final String SECRET = "s3cret-of-the-console-" + UUID.randomUUID();
  private static final String AUDIENCE = "https://atna.example/fhir";
  private static final Instant DAY =
      Instant.now().minus(Duration.ofDays(3)).truncatedTo(java.time.temporal.ChronoUnit.DAYS);

  @TempDir static Path dir;
  private ServeProcess serve;
  private Provider provider;
  private String console;
  private String fhir;
  private WebDriver browser;
  private final HttpClient http =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  @BeforeAll
  void startProviderAndServe() throws Exception {
    provider = new Provider(ServeProcess.freePort());
    Path secret = dir.resolve("client-secret");
    Files.writeString(secret, SECRET + "\n");
    int port = ServeProcess.freePort();
    serve =
        ServeProcess.serve(
                dir,
                port,
                ServeProcess.freePort(),
                0,
                "--oidc-issuer",
                provider.issuer,
                "--oidc-audience",
                AUDIENCE,
                "--oidc-client-id",
                CLIENT,
                "--oidc-client-secret-file",
                secret.toString())
            .awaitReady(Duration.ofSeconds(120));
    console = "http://127.0.0.1:" + port + "/";
    fhir = console + "fhir";
    String loader = provider.accessToken("loader", "system/AuditEvent.cruds", null, "V");
    Instant t0 = DAY.plus(Duration.ofHours(8));
    FeedBatches.post(
        fhir,
        loader,
        List.of(
            event(t0, "alice", "Alice Archer", "acc-1"),
            event(t0.plusSeconds(1), "bob", "Bob Baker", "acc-1"),
            event(t0.plusSeconds(2), "carol", "Carol Chen", "other-9")));
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> total(loader, "agent=alice,bob,carol") == 3);
  }

  @BeforeEach
  void openBrowser() {
    provider.user.set(new User("officer-olivia", "user/AuditEvent.rs", null));
    provider.injectCode.set(null);
    browser = ConsoleBrowsers.chromium(null);
  }

  @AfterEach
  void closeBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  @AfterAll
  void stop() throws InterruptedException {
    if (serve != null) {
      serve.close();
    }
    if (provider != null) {
      provider.server.stop(0);
    }
  }

  @Test
  void signInWithTheProvider_landsSignedIn_searches_andSignOutEndsTheSession() throws Exception {
    assertThat(serve.log())
        .contains("ready: console on " + console + " (sign in with " + provider.issuer)
        .contains("redirect URI " + console + "signin/oidc/callback")
        .doesNotContain(SECRET);
    browser.get(console + "search");
    WebElement start = waitFor(By.id("oidc-signin"));
    assertThat(start.getText()).isEqualTo("Sign in with " + provider.issuer);
    int tokensBefore = provider.tokensIssued.get();
    start.click();
    waitFor(By.id("results-table"));
    assertThat(browser.getCurrentUrl()).isEqualTo(console + "search");
    assertThat(browser.findElement(By.id("who-name")).getText()).isEqualTo("officer-olivia");
    assertThat(provider.tokensIssued.get()).isEqualTo(tokensBefore + 1);
    // the authorization request carried an S256 challenge, the token request its verifier
    assertThat(provider.lastAuthorize.get()).containsEntry("code_challenge_method", "S256");
    assertThat(provider.lastAuthorize.get().get("scope")).isEqualTo("openid user/AuditEvent.rs");
    assertThat(column(2)).contains("Alice Archer", "Bob Baker", "Carol Chen");
    Cookie cookie = browser.manage().getCookieNamed("atna-session");
    assertThat(cookie.isHttpOnly()).isTrue();
    assertThat(cookie.getSameSite()).isEqualTo("Strict");
    assertThat(browser.manage().getCookieNamed("atna-signin")).isNull();
    String value = cookie.getValue();
    assertThat(apiWithCookie(value).statusCode()).isEqualTo(200);

    browser.findElement(By.id("signout")).click();
    // the search page has a status line too: wait for the sign-in page itself (the sign-out is
    // audited before it answers, so it can take a moment)
    new WebDriverWait(browser, WAIT)
        .until(ExpectedConditions.urlToBe(console + "signin?signed-out"));
    waitFor(By.cssSelector("main .status"));
    assertThat(browser.manage().getCookieNamed("atna-session")).isNull();
    // a copy of the cookie is dead too: the server remembers the sign-out
    assertThat(apiWithCookie(value).statusCode()).isEqualTo(401);

    // the callback the provider sent the browser to, once more: its sign-in is used up
    browser.get(provider.lastCallback.get());
    waitFor(By.id("message"));
    assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Sign-in refused");
    assertThat(browser.findElement(By.id("message")).getText()).contains("already completed");
    assertThat(browser.manage().getCookieNamed("atna-session")).isNull();
  }

  @Test
  void aReplayedCallback_withTheSameStateAndCookie_isRefused() throws Exception {
    HttpResponse<String> start = get(console + "signin/oidc", Map.of());
    assertThat(start.statusCode()).isEqualTo(303);
    String setCookie = start.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(setCookie).startsWith("atna-signin=").contains("HttpOnly", "SameSite=Lax");
    String preSession = setCookie.substring(0, setCookie.indexOf(';'));
    HttpResponse<String> authorize =
        get(start.headers().firstValue("Location").orElseThrow(), Map.of());
    assertThat(authorize.statusCode()).isEqualTo(302);
    String callback = authorize.headers().firstValue("Location").orElseThrow();

    HttpResponse<String> first = get(callback, Map.of("Cookie", preSession));
    assertThat(first.statusCode()).isEqualTo(303);
    assertThat(first.headers().allValues("Set-Cookie"))
        .anyMatch(c -> c.startsWith("atna-session=") && c.length() > 40);

    HttpResponse<String> replay = get(callback, Map.of("Cookie", preSession));
    assertThat(replay.statusCode()).isEqualTo(400);
    assertThat(replay.body()).contains("Sign-in refused").doesNotContain("Exception");
    assertThat(replay.headers().allValues("Set-Cookie"))
        .noneMatch(c -> c.startsWith("atna-session=") && !c.startsWith("atna-session=;"));

    // a state that is not the sign-in's: refused, and the started sign-in is used up by it
    HttpResponse<String> again = get(console + "signin/oidc", Map.of());
    String cookie2 = again.headers().firstValue("Set-Cookie").orElseThrow();
    String forged =
        get(again.headers().firstValue("Location").orElseThrow(), Map.of())
            .headers()
            .firstValue("Location")
            .orElseThrow()
            .replaceAll("state=[^&]+", "state=forged");
    HttpResponse<String> mismatch =
        get(forged, Map.of("Cookie", cookie2.substring(0, cookie2.indexOf(';'))));
    assertThat(mismatch.statusCode()).isEqualTo(400);
    assertThat(mismatch.body()).contains("does not belong to this sign-in");
  }

  @Test
  void aCodeIssuedForAnotherVerifier_isRefusedByTheProvider_andNoSessionStarts() throws Exception {
    // a code the provider issued to another sign-in (another challenge), slipped into this one
    HttpResponse<String> other = get(console + "signin/oidc", Map.of());
    HttpResponse<String> otherAuthorize =
        get(other.headers().firstValue("Location").orElseThrow(), Map.of());
    String otherCode = param(otherAuthorize.headers().firstValue("Location").orElseThrow(), "code");
    provider.injectCode.set(otherCode);
    int refusedBefore = provider.verifierRefusals.get();

    browser.get(console + "signin");
    waitFor(By.id("oidc-signin")).click();
    waitFor(By.id("message"));
    assertThat(provider.verifierRefusals.get()).isEqualTo(refusedBefore + 1);
    assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Sign-in refused");
    assertThat(browser.findElement(By.id("message")).getText())
        .contains("did not issue tokens for this sign-in");
    assertThat(browser.manage().getCookieNamed("atna-session")).isNull();
    browser.get(console + "search");
    await().atMost(WAIT).until(() -> browser.getCurrentUrl().startsWith(console + "signin"));
    assertThat(serve.log()).contains("refused").contains("token endpoint answered 400");
  }

  @Test
  void theProvidersErrorAnswer_isShownAsARefusal() {
    provider.user.set(null); // the provider answers access_denied
    browser.get(console + "signin");
    waitFor(By.id("oidc-signin")).click();
    waitFor(By.id("message"));
    assertThat(browser.findElement(By.id("message")).getText())
        .isEqualTo("The identity provider did not sign you in.");
    assertThat(browser.manage().getCookieNamed("atna-session")).isNull();
  }

  @Test
  void aPatientScopedUserOfTheProvider_seesOnlyTheirPatient() {
    provider.user.set(new User("nurse-nia", "patient/AuditEvent.rs", "acc-1"));
    browser.get(console + "signin");
    waitFor(By.id("oidc-signin")).click();
    waitFor(By.id("results-table"));
    assertThat(browser.findElement(By.id("who-name")).getText()).isEqualTo("nurse-nia");
    assertThat(column(4)).isNotEmpty().containsOnly("ACC-1");
    assertThat(column(2)).contains("Alice Archer", "Bob Baker").doesNotContain("Carol Chen");
  }

  // ------------------------------------------------------------------------------------------

  /** Who the provider signs in next; null: the provider refuses (access_denied). */
  record User(String subject, String scope, @Nullable String patient) {}

  /** A minimal OpenID provider with PKCE (S256) and client_secret_basic. */
  static final class Provider {
    final HttpServer server;
    final String issuer;
    final ECKey key;
    final AtomicReference<@Nullable User> user = new AtomicReference<>();
    final AtomicReference<@Nullable String> injectCode = new AtomicReference<>();
    final AtomicReference<Map<String, String>> lastAuthorize = new AtomicReference<>(Map.of());
    final AtomicReference<String> lastCallback = new AtomicReference<>("");
    final AtomicInteger tokensIssued = new AtomicInteger();
    final AtomicInteger verifierRefusals = new AtomicInteger();
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();

    record Grant(String challenge, String nonce, String redirectUri, User user) {}

    Provider(int port) throws Exception {
      key =
          new ECKeyGenerator(Curve.P_256)
              .keyID("provider-1")
              .algorithm(JWSAlgorithm.ES256)
              .generate();
      issuer = "http://127.0.0.1:" + port + "/realms/test";
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
      server.createContext("/realms/test/.well-known/openid-configuration", this::discovery);
      server.createContext(
          "/realms/test/jwks", x -> send(x, 200, new JWKSet(key).toPublicJWKSet().toString()));
      server.createContext("/realms/test/authorize", this::authorize);
      server.createContext("/realms/test/token", this::token);
      server.start();
    }

    private void discovery(HttpExchange x) throws IOException {
      Map<String, Object> doc = new HashMap<>();
      doc.put("issuer", issuer);
      doc.put("authorization_endpoint", issuer + "/authorize");
      doc.put("token_endpoint", issuer + "/token");
      doc.put("jwks_uri", issuer + "/jwks");
      doc.put("response_types_supported", List.of("code"));
      doc.put("code_challenge_methods_supported", List.of("S256"));
      send(x, 200, JSONObjectUtils.toJSONString(doc));
    }

    private void authorize(HttpExchange x) throws IOException {
      Map<String, String> q = form(x.getRequestURI().getRawQuery());
      lastAuthorize.set(q);
      String back = q.get("redirect_uri");
      User who = user.get();
      if (!CLIENT.equals(q.get("client_id"))
          || !"code".equals(q.get("response_type"))
          || !"S256".equals(q.get("code_challenge_method"))) {
        send(x, 400, "{\"error\":\"invalid_request\"}");
        return;
      }
      String state = URLEncoder.encode(q.get("state"), StandardCharsets.UTF_8);
      String location;
      if (who == null) {
        location = back + "?error=access_denied&state=" + state;
      } else {
        String code = UUID.randomUUID().toString();
        codes.put(code, new Grant(q.get("code_challenge"), q.get("nonce"), back, who));
        String injected = injectCode.getAndSet(null);
        location = back + "?code=" + (injected != null ? injected : code) + "&state=" + state;
      }
      lastCallback.set(location);
      x.getResponseHeaders().add("Location", location);
      x.sendResponseHeaders(302, -1);
      x.close();
    }

    private void token(HttpExchange x) throws IOException {
      Map<String, String> f =
          form(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      String basic =
          "Basic "
              + Base64.getEncoder()
                  .encodeToString((CLIENT + ":" + SECRET).getBytes(StandardCharsets.UTF_8));
      if (!basic.equals(x.getRequestHeaders().getFirst("Authorization"))) {
        send(x, 401, "{\"error\":\"invalid_client\"}");
        return;
      }
      Grant grant = codes.remove(String.valueOf(f.get("code")));
      if (grant == null
          || !"authorization_code".equals(f.get("grant_type"))
          || !grant.redirectUri().equals(f.get("redirect_uri"))) {
        send(x, 400, "{\"error\":\"invalid_grant\"}");
        return;
      }
      if (f.get("code_verifier") == null
          || !s256(f.get("code_verifier")).equals(grant.challenge())) {
        verifierRefusals.incrementAndGet();
        send(
            x,
            400,
            "{\"error\":\"invalid_grant\",\"error_description\":\"PKCE verification failed\"}");
        return;
      }
      try {
        User who = grant.user();
        String access = accessToken(who.subject(), who.scope(), who.patient(), null);
        Instant now = Instant.now();
        String id =
            sign(
                new JWTClaimsSet.Builder()
                    .issuer(issuer)
                    .audience(CLIENT)
                    .subject(who.subject())
                    .issueTime(Date.from(now))
                    .expirationTime(Date.from(now.plusSeconds(300)))
                    .claim("nonce", grant.nonce())
                    .build(),
                JOSEObjectType.JWT);
        tokensIssued.incrementAndGet();
        send(
            x,
            200,
            JSONObjectUtils.toJSONString(
                Map.of(
                    "access_token",
                    access,
                    "id_token",
                    id,
                    "token_type",
                    "Bearer",
                    "expires_in",
                    600)));
      } catch (Exception e) {
        send(x, 500, "{\"error\":\"server_error\"}");
      }
    }

    String accessToken(
        String subject, String scope, @Nullable String patient, @Nullable String clearance)
        throws Exception {
      Instant now = Instant.now();
      JWTClaimsSet.Builder claims =
          new JWTClaimsSet.Builder()
              .issuer(issuer)
              .audience(AUDIENCE)
              .subject(subject)
              .issueTime(Date.from(now))
              .expirationTime(Date.from(now.plusSeconds(600)))
              .jwtID(UUID.randomUUID().toString())
              .claim("scope", scope);
      if (patient != null) {
        claims.claim("patient", patient);
      }
      if (clearance != null) {
        claims.claim("label_clearance", clearance);
      }
      return sign(claims.build(), new JOSEObjectType("at+jwt"));
    }

    private String sign(JWTClaimsSet claims, JOSEObjectType type) throws Exception {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).type(type).build(),
              claims);
      jwt.sign(new ECDSASigner(key));
      return jwt.serialize();
    }

    private static void send(HttpExchange x, int status, String body) throws IOException {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      x.getResponseHeaders().add("Content-Type", "application/json");
      x.sendResponseHeaders(status, bytes.length);
      x.getResponseBody().write(bytes);
      x.close();
    }
  }

  static String s256(String verifier) {
    try {
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(
              MessageDigest.getInstance("SHA-256")
                  .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static Map<String, String> form(@Nullable String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        out.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  private static String param(String url, String name) {
    String value = form(URI.create(url).getRawQuery()).get(name);
    assertThat(value).as(url).isNotNull();
    return value;
  }

  private WebElement waitFor(By by) {
    return new WebDriverWait(browser, WAIT)
        .until(ExpectedConditions.visibilityOfElementLocated(by));
  }

  private List<String> column(int n) {
    return browser
        .findElements(By.cssSelector("#results-table tbody tr td:nth-child(" + n + ")"))
        .stream()
        .map(WebElement::getText)
        .toList();
  }

  private HttpResponse<String> apiWithCookie(String value) throws Exception {
    return get(fhir + "/AuditEvent?_count=1", Map.of("Cookie", "atna-session=" + value));
  }

  private HttpResponse<String> get(String url, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
    headers.forEach(b::header);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private int total(String bearer, String query) throws Exception {
    HttpResponse<String> r =
        get(fhir + "/AuditEvent?_count=1&" + query, Map.of("Authorization", "Bearer " + bearer));
    Matcher m = Pattern.compile("\"total\"\\s*:\\s*(\\d+)").matcher(r.body());
    return r.statusCode() == 200 && m.find() ? Integer.parseInt(m.group(1)) : -1;
  }

  private static String event(Instant at, String user, String name, String patient) {
    String id = patient.toUpperCase(java.util.Locale.ROOT);
    return "{\"resourceType\":\"AuditEvent\","
        + "\"category\":[{\"coding\":[{\"system\":\"http://dicom.nema.org/resources/ontology/DCM\",\"code\":\"110110\",\"display\":\"Patient Record\"}]}],"
        + "\"code\":{\"coding\":[{\"system\":\"urn:console-test\",\"code\":\"access\",\"display\":\"Patient record read\"}]},"
        + "\"action\":\"R\",\"recorded\":\""
        + at
        + "\","
        + "\"outcome\":{\"code\":{\"system\":\"http://terminology.hl7.org/CodeSystem/audit-event-outcome\",\"code\":\"0\"}},"
        + "\"patient\":{\"reference\":\"Patient/"
        + patient
        + "\",\"identifier\":{\"system\":\""
        + PATIENTS
        + "\",\"value\":\""
        + id
        + "\"},\"display\":\""
        + id
        + "\"},"
        + "\"agent\":[{\"who\":{\"reference\":\"Practitioner/"
        + user
        + "\",\"identifier\":{\"value\":\""
        + user
        + "\"},\"display\":\""
        + name
        + "\"},\"requestor\":true,\"networkString\":\"10.0.0.7\"}],"
        + "\"source\":{\"observer\":{\"display\":\"ehr-1\"}}}";
  }
}
