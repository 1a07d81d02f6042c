package org.atnabridge.allinone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.atnabridge.schemas.vocab.CodeSystems;
import org.atnabridge.search.security.LocalIssuer;
import org.atnabridge.testing.TestVectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console's alerts and saved searches in a real headless Chromium against the packaged {@code
 * serve} started with an {@code --alert-rules} file: an alert raised by a test vector sent over
 * syslog, a new alert arriving live over the websocket Subscription, an acknowledgement that is
 * itself a searchable AuditEvent, and saved searches kept by the server and turned into a rule that
 * {@code rules check} accepts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleAlertsBrowserIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String ATNA_PATIENT = "urn:oid:2.16.840.1.113883.3.37.4.1.1.2.411.1|7627199";

  /** What an officer handling alerts is given: read, post the acknowledgement, subscribe. */
  private static final String ALERT_SCOPE =
      "user/AuditEvent.rs user/AuditEvent.c user/Subscription.cruds";

  @TempDir static Path dir;
  private ServeProcess serve;
  private String console;
  private String fhir;
  private Path data;
  private String bearer;
  private WebDriver browser;
  private final HttpClient http =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  @BeforeAll
  void startServeWithRules() throws Exception {
    Path rules = dir.resolve("rules.yaml");
    Files.writeString(
        rules,
        """
        rules:
          - id: watched-patient
            title: Watched patient accessed
            kind: match
            where: "patient:identifier=%s"
            severity: high
          - id: break-glass
            title: Break-glass access
            kind: match
            where: "purpose=BTG"
            severity: critical
        """
            .formatted(ATNA_PATIENT));
    int port = ServeProcess.freePort();
    int syslog = ServeProcess.freePort();
    serve =
        ServeProcess.serve(dir, port, syslog, 0, "--alert-rules", rules.toString())
            .awaitReady(Duration.ofSeconds(120));
    data = dir.resolve("data");
    console = "http://127.0.0.1:" + port + "/";
    fhir = console + "fhir";
    bearer =
        LocalIssuer.open(data.resolve("keys"))
            .mint("loader", "system/AuditEvent.cruds", null, Set.of("V", "R"), Duration.ofHours(1));
    // a test vector over syslog: its patient is the watched one, so it raises an alert
    AtnaTraffic.sendOctetCounted(
        syslog, AtnaTraffic.syslog5424(TestVectors.bytes("dicom-audit-xml/ipf-pixfeed.xml")));
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> total("category=110113&code=watched-patient") >= 1);
  }

  @BeforeEach
  void openBrowser() {
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
  }

  @Test
  void anAlertRaisedByATestVector_isOpen_withItsTriggeringEvent() {
    signIn(loginLink("--sub", "officer-open", "--scope", ALERT_SCOPE));
    browser.get(console + "alerts");
    WebElement alert = alertTitled("Watched patient accessed");
    assertThat(alert.getText())
        .contains("Rule", "watched-patient", "Severity", "high", "Patient", "7627199");
    WebElement trigger = alert.findElement(By.cssSelector("a.trigger-link"));
    assertThat(alert.getText()).contains("Triggering events: " + trigger.getText());
    trigger.click();
    WebElement card = waitFor(By.id("event-card"));
    assertThat(card.getText()).contains("7627199");
  }

  @Test
  void aNewAlert_appearsLive_overTheWebsocketSubscription_withoutAReload() throws Exception {
    signIn(loginLink("--sub", "officer-live", "--scope", ALERT_SCOPE));
    browser.get(console + "alerts");
    new WebDriverWait(browser, WAIT)
        .until(d -> "live".equals(d.findElement(By.id("live-status")).getAttribute("data-state")));
    ((JavascriptExecutor) browser).executeScript("window.__sameDocument = 'yes';");
    assertThat(browser.findElements(By.xpath("//li[contains(., 'live-user')]"))).isEmpty();

    post(breakGlass("live-user", Instant.now()));

    WebElement item =
        new WebDriverWait(browser, WAIT)
            .until(
                ExpectedConditions.visibilityOfElementLocated(
                    By.xpath("//li[contains(@class,'new')][contains(., 'live-user')]")));
    assertThat(item.getText()).contains("Break-glass access", "critical");
    assertThat(((JavascriptExecutor) browser).executeScript("return window.__sameDocument"))
        .as("no reload")
        .isEqualTo("yes");
    // the page reused its subscription: one websocket subscription of this officer, not one per
    // visit
    browser.get(console + "alerts");
    new WebDriverWait(browser, WAIT)
        .until(d -> "live".equals(d.findElement(By.id("live-status")).getAttribute("data-state")));
    String subs = get(fhir + "/Subscription?_count=100", sessionHeaders()).body();
    assertThat(subs.split("\"resourceType\"\\s*:\\s*\"Subscription\"", -1)).hasSize(2);
  }

  @Test
  void acknowledging_closesTheAlert_andTheAcknowledgementIsASearchableAuditEvent()
      throws Exception {
    post(breakGlass("ack-user", Instant.now()));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> total("category=110113&code=break-glass&agent:identifier=ack-user") == 1);
    String alertId = firstId("category=110113&code=break-glass&agent:identifier=ack-user");

    signIn(loginLink("--sub", "officer-ack", "--scope", ALERT_SCOPE));
    browser.get(console + "alerts");
    WebElement item = waitFor(By.cssSelector("li[data-id='" + alertId + "']"));
    item.findElement(By.tagName("textarea")).sendKeys("Called the ward: genuine emergency.");
    item.findElement(By.cssSelector("button.ack-button")).click();
    new WebDriverWait(browser, WAIT).until(ExpectedConditions.stalenessOf(item));
    assertThat(browser.findElement(By.id("alerts-summary")).getText()).contains("Acknowledged");

    // the acknowledgement is an AuditEvent like any other: searchable by its code, naming the
    // officer, the alert and the comment; its poster recorded by the server
    String ackQuery =
        "code="
            + URLEncoder.encode(
                CodeSystems.ALERT_HANDLING + "|" + CodeSystems.ALERT_ACKNOWLEDGED,
                StandardCharsets.UTF_8)
            + "&entity=AuditEvent/"
            + alertId;
    await().atMost(Duration.ofSeconds(60)).until(() -> total(ackQuery) == 1);
    String ack = get(fhir + "/AuditEvent?" + ackQuery, auth()).body();
    assertThat(ack)
        .contains("AuditEvent/" + alertId, "Called the ward: genuine emergency.", "officer-ack");
    // and the alert is no longer open, for anyone
    signIn(loginLink("--sub", "officer-other", "--scope", ALERT_SCOPE));
    browser.get(console + "alerts");
    alertTitled("Watched patient accessed");
    assertThat(browser.findElements(By.cssSelector("li[data-id='" + alertId + "']"))).isEmpty();
  }

  @Test
  void withoutTheSubscriptionScope_liveUpdatesAreSaidToBeUnavailable() {
    signIn(loginLink("--sub", "officer-readonly"));
    browser.get(console + "alerts");
    new WebDriverWait(browser, WAIT)
        .until(
            d ->
                "unavailable"
                    .equals(d.findElement(By.id("live-status")).getAttribute("data-state")));
    assertThat(browser.findElement(By.id("live-status")).getText())
        .startsWith("Live updates unavailable")
        .contains("Subscription");
    // the open alerts are still listed
    alertTitled("Watched patient accessed");
  }

  @Test
  void aSavedSearch_isKeptByTheServer_opens_becomesARuleThatRulesCheckAccepts_andIsDeleted()
      throws Exception {
    signIn(loginLink("--sub", "officer-saver"));
    browser.get(console + "search?agent=alice&action=R");
    waitFor(By.id("save-name")).sendKeys("Alice reads");
    browser.findElement(By.id("save-search-button")).click();
    new WebDriverWait(browser, WAIT)
        .until(ExpectedConditions.textToBePresentInElementLocated(By.id("save-status"), "Saved"));

    browser.findElement(By.linkText("Saved searches")).click();
    WebElement link = waitFor(By.cssSelector("#saved-table a.saved-link"));
    assertThat(link.getText()).isEqualTo("Alice reads");
    assertThat(browser.findElement(By.id("saved-table")).getText())
        .contains("/search?agent=alice&action=R");
    // another officer does not see it
    browser.manage().deleteAllCookies();
    signIn(loginLink("--sub", "officer-nosy"));
    browser.get(console + "saved-searches");
    new WebDriverWait(browser, WAIT)
        .until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.id("saved-status"), "No saved searches"));
    browser.manage().deleteAllCookies();
    signIn(loginLink("--sub", "officer-saver"));
    browser.get(console + "saved-searches");
    link = waitFor(By.cssSelector("#saved-table a.saved-link"));
    link.click();
    waitFor(By.id("results-title"));
    assertThat(browser.getCurrentUrl()).isEqualTo(console + "search?agent=alice&action=R");
    assertThat(browser.findElement(By.id("f-agent")).getAttribute("value")).isEqualTo("alice");

    browser.navigate().back();
    waitFor(By.cssSelector("#saved-table button.rule-button")).click();
    String yaml = waitFor(By.cssSelector("pre.rule-yaml")).getText();
    assertThat(yaml).contains("kind: match", "where: \"agent=alice&action=R\"");
    Path file = dir.resolve("saved-rule.yaml");
    Files.writeString(file, yaml + "\n");
    var out = new java.io.StringWriter();
    var err = new java.io.StringWriter();
    var cli = AtnaBridgeCommand.commandLine();
    cli.setOut(new java.io.PrintWriter(out, true));
    cli.setErr(new java.io.PrintWriter(err, true));
    assertThat(cli.execute("rules", "check", file.toString())).as(out + " " + err).isZero();
    assertThat(out.toString()).contains("valid", "saved-alice-reads");

    browser.findElement(By.cssSelector("#saved-table button.delete-button")).click();
    new WebDriverWait(browser, WAIT)
        .until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.id("saved-status"), "No saved searches"));
    browser.navigate().refresh();
    new WebDriverWait(browser, WAIT)
        .until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.id("saved-status"), "No saved searches"));
  }

  @Test
  void alertsAndSavedSearches_haveNoSeriousOrCriticalAccessibilityViolations() throws Exception {
    signIn(loginLink("--sub", "officer-a11y", "--scope", ALERT_SCOPE));
    browser.get(console + "search?agent=alice");
    waitFor(By.id("save-name")).sendKeys("Alice, everything");
    browser.findElement(By.id("save-search-button")).click();
    new WebDriverWait(browser, WAIT)
        .until(ExpectedConditions.textToBePresentInElementLocated(By.id("save-status"), "Saved"));
    browser.get(console + "alerts");
    alertTitled("Watched patient accessed");
    new WebDriverWait(browser, WAIT)
        .until(d -> "live".equals(d.findElement(By.id("live-status")).getAttribute("data-state")));
    assertAccessible("alerts");
    screenshot("alerts");
    browser.get(console + "saved-searches");
    waitFor(By.cssSelector("#saved-table button.rule-button")).click();
    waitFor(By.cssSelector("pre.rule-yaml"));
    assertAccessible("saved searches");
    screenshot("saved-searches");
  }

  // --- helpers

  private WebElement alertTitled(String title) {
    return new WebDriverWait(browser, WAIT)
        .until(
            ExpectedConditions.visibilityOfElementLocated(
                By.xpath(
                    "//li[contains(@class,'alert-item')][.//h2[contains(., '" + title + "')]]")));
  }

  private void screenshot(String name) throws Exception {
    ConsoleBrowsers.screenshot(browser, name);
  }

  private void assertAccessible(String page) throws Exception {
    ConsoleBrowsers.assertAccessible(browser, page);
  }

  private void signIn(String link) {
    browser.get(link);
    waitFor(By.id("search-form"));
  }

  /** The session cookie of the browser, for the API as the console calls it. */
  private Map<String, String> sessionHeaders() {
    return Map.of(
        "Cookie", "atna-session=" + browser.manage().getCookieNamed("atna-session").getValue());
  }

  private String loginLink(String... more) {
    List<String> args = new ArrayList<>(List.of("login-link", "--data-dir", data.toString()));
    args.addAll(List.of(more));
    var out = new java.io.StringWriter();
    var err = new java.io.StringWriter();
    var cli = AtnaBridgeCommand.commandLine();
    cli.setOut(new java.io.PrintWriter(out, true));
    cli.setErr(new java.io.PrintWriter(err, true));
    int code = cli.execute(args.toArray(String[]::new));
    assertThat(code).as(err.toString()).isZero();
    String[] lines = out.toString().strip().split("\n");
    return lines[lines.length - 1];
  }

  private WebElement waitFor(By by) {
    return new WebDriverWait(browser, WAIT)
        .until(ExpectedConditions.visibilityOfElementLocated(by));
  }

  private Map<String, String> auth() {
    return Map.of("Authorization", "Bearer " + bearer);
  }

  private HttpResponse<String> get(String url, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
    headers.forEach(b::header);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private int total(String query) throws Exception {
    HttpResponse<String> r = get(fhir + "/AuditEvent?_count=1&" + query, auth());
    if (r.statusCode() != 200) {
      return -1;
    }
    Object total = JSONObjectUtils.parse(r.body()).get("total");
    return total instanceof Number n ? n.intValue() : -1;
  }

  private String firstId(String query) throws Exception {
    HttpResponse<String> r = get(fhir + "/AuditEvent?_count=1&" + query, auth());
    var entries = JSONObjectUtils.getJSONObjectArray(JSONObjectUtils.parse(r.body()), "entry");
    assertThat(entries).as(r.body()).isNotEmpty();
    return JSONObjectUtils.getString(JSONObjectUtils.getJSONObject(entries[0], "resource"), "id");
  }

  private void post(String event) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(fhir + "/AuditEvent"))
                .header("Authorization", "Bearer " + bearer)
                .header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(event))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
  }

  /** A BALP-shaped patient record read by {@code user} for break-glass (purpose BTG). */
  private static String breakGlass(String user, Instant at) {
    return """
        {"resourceType":"AuditEvent",
         "category":[{"coding":[{"system":"http://dicom.nema.org/resources/ontology/DCM","code":"110110","display":"Patient Record"}]}],
         "code":{"coding":[{"system":"urn:console-test","code":"access","display":"Patient record read"}]},
         "action":"R","recorded":"%s",
         "authorization":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ActReason","code":"BTG"}]}],
         "outcome":{"code":{"system":"http://terminology.hl7.org/CodeSystem/audit-event-outcome","code":"0"}},
         "patient":{"identifier":{"system":"urn:oid:1.2.3","value":"BTG-1"},"display":"BTG-1"},
         "agent":[{"who":{"identifier":{"value":"%s"},"display":"%s"},"requestor":true,"networkString":"10.0.0.9"}],
         "source":{"observer":{"display":"ehr-emergency"}}}
        """
        .formatted(at, user, user);
  }
}
