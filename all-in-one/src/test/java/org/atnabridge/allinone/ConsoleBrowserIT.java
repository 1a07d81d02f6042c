package org.atnabridge.allinone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The officers' console in a real headless Chromium (Debian's {@code chromium} and {@code
 * chromium-driver}, driven by Selenium) against the packaged {@code serve}, loaded over the FHIR
 * Feed: sign-in by one-time link, search, paging, event detail, an event carrying markup shown
 * inert, a patient-scoped officer, sign-out.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleBrowserIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String PATIENTS = "urn:oid:1.2.3";
  private static final int PAGED = 1_200;
  private static final String ATNA_PATIENT =
      "urn:oid:2.16.840.1.113883.3.37.4.1.1.2.411.1%7C7627199";
  private static final String XSS =
      "<script>window.__xss=1</script><img src=x onerror=\"window.__xss=2\">";

  /**
   * The day the loaded events were recorded: three days ago, so self-audit records fall outside.
   */
  private static final Instant DAY =
      Instant.now().minus(Duration.ofDays(3)).truncatedTo(java.time.temporal.ChronoUnit.DAYS);

  @TempDir static Path dir;
  private ServeProcess serve;
  private String console;
  private String fhir;
  private Path data;
  private String bearer;
  private WebDriver browser;
  private Path downloads;
  private final HttpClient http =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  @BeforeAll
  void startServeAndLoadEvents() throws Exception {
    int port = ServeProcess.freePort();
    int syslog = ServeProcess.freePort();
    // $verify checks at most 1,000 events: the day of the loaded events holds more
    serve =
        ServeProcess.serve(dir, port, syslog, 0, "--verify-max-events", "1000")
            .awaitReady(Duration.ofSeconds(120));
    data = dir.resolve("data");
    console = "http://127.0.0.1:" + port + "/";
    fhir = console + "fhir";
    bearer =
        LocalIssuer.open(data.resolve("keys"))
            .mint("loader", "system/AuditEvent.cruds", null, Set.of("V"), Duration.ofHours(1));
    List<String> events = new ArrayList<>();
    Instant t0 = DAY.plus(Duration.ofHours(8));
    for (int i = 0; i < PAGED; i++) {
      events.add(
          event(
              t0.plusSeconds(i),
              "pager",
              "Pager Bot",
              "pg-" + (i % 7),
              "ehr-paging",
              "R",
              "Patient record read"));
    }
    events.add(
        event(
            t0.plusSeconds(5000),
            "alice",
            "Alice Archer",
            "acc-1",
            "ehr-1",
            "R",
            "Patient record read"));
    events.add(
        event(
            t0.plusSeconds(5001),
            "bob",
            "Bob Baker",
            "acc-1",
            "ehr-1",
            "U",
            "Patient record updated"));
    events.add(
        event(
            t0.plusSeconds(5002),
            "carol",
            "Carol Chen",
            "other-9",
            "ehr-2",
            "R",
            "Patient record read"));
    events.add(event(t0.plusSeconds(5003), "mallory", XSS, "xss-1", "ehr-" + XSS, "R", XSS));
    // a patient known by name, as enrichment from reference data names it
    events.add(
        event(
                t0.plusSeconds(5004),
                "dora",
                "Dora Diaz",
                "dd-1",
                "ehr-1",
                "R",
                "Patient record read")
            .replace("\"display\":\"DD-1\"", "\"display\":\"Dana Dawson\""));
    FeedBatches.post(fhir, bearer, events);
    // one ATNA message over syslog: its event carries a reference to the frame as received
    AtnaTraffic.sendOctetCounted(
        syslog, AtnaTraffic.syslog5424(TestVectors.bytes("dicom-audit-xml/ipf-pixfeed.xml")));
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                total("agent=pager") == PAGED
                    && total("patient:identifier=" + PATIENTS + "%7CXSS-1") == 1
                    && total("patient:identifier=" + ATNA_PATIENT) == 1
                    && total("patient:identifier=" + PATIENTS + "%7CDD-1") == 1);
  }

  @BeforeEach
  void openBrowser() throws Exception {
    downloads = Files.createTempDirectory(dir, "downloads");
    browser = ConsoleBrowsers.chromium(downloads);
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
  void theLinkServePrints_signsInOnce_asAnHttpOnlyStrictCookie_andItsReuseIsRefused() {
    Matcher m =
        Pattern.compile("ready: console on (\\S+) \\(sign in once within [^:]+: (\\S+);")
            .matcher(serve.log());
    assertThat(m.find()).as(serve.log()).isTrue();
    assertThat(m.group(1)).isEqualTo(console);
    String link = m.group(2);

    browser.get(link);
    waitFor(By.id("search-form"));
    assertThat(browser.getCurrentUrl()).isEqualTo(console + "search");
    assertThat(browser.findElement(By.id("who-name")).getText()).isNotBlank();
    Cookie cookie = browser.manage().getCookieNamed("atna-session");
    assertThat(cookie).isNotNull();
    assertThat(cookie.isHttpOnly()).isTrue();
    assertThat(cookie.getSameSite()).isEqualTo("Strict");
    assertThat(cookie.isSecure()).isFalse(); // plain HTTP here; Secure with --https-cert

    browser.get(link);
    waitFor(By.id("message"));
    assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Sign-in refused");
    assertThat(browser.findElement(By.id("message")).getText()).contains("already been used");
  }

  @Test
  void aPatientsAccessors_areFoundFromTheForm_andTheUrlIsTheFhirQuery() {
    signIn(loginLink("--sub", "officer-1"));
    WebElement patient = waitFor(By.id("f-patientidentifier"));
    patient.sendKeys(PATIENTS + "|ACC-1", Keys.ENTER);
    waitFor(By.id("results-table"));
    assertThat(column(2)).containsExactlyInAnyOrder("Alice Archer", "Bob Baker");
    assertThat(column(4)).containsOnly("ACC-1");
    assertThat(browser.findElement(By.id("main")).getText()).doesNotContain("null", "undefined");
    String url = browser.getCurrentUrl();
    String query = url.substring(url.indexOf('?'));
    assertThat(browser.findElement(By.id("fhir-query")).getText())
        .isEqualTo("/fhir/AuditEvent" + query);
    assertThat(query)
        .contains(
            "patient%3Aidentifier="
                + URLEncoder.encode(PATIENTS + "|ACC-1", StandardCharsets.UTF_8));

    // the back button returns to the empty form; forward to the result
    browser.navigate().back();
    waitFor(By.id("f-patientidentifier"));
    await()
        .atMost(WAIT)
        .until(
            () ->
                browser.findElement(By.id("f-patientidentifier")).getAttribute("value").isEmpty());
    browser.navigate().forward();
    await().atMost(WAIT).until(() -> column(2).size() == 2);
  }

  @Test
  void pagingFollowsTheNextLinks_toTheEnd_seeingEachEventOnce() {
    signIn(loginLink());
    browser.get(console + "search?agent=pager&_count=100");
    Set<String> seen = new HashSet<>();
    int pages = 0;
    while (true) {
      waitFor(By.id("results-table"));
      List<String> ids =
          browser.findElements(By.cssSelector("#results-table tbody tr")).stream()
              .map(r -> r.getAttribute("data-id"))
              .toList();
      for (String id : ids) {
        assertThat(seen.add(id)).as("event %s seen twice", id).isTrue();
      }
      pages++;
      List<WebElement> next = browser.findElements(By.id("next-page"));
      if (next.isEmpty()) {
        break;
      }
      String before = browser.getCurrentUrl();
      WebElement table = browser.findElement(By.id("results-table"));
      next.get(0).click();
      new WebDriverWait(browser, WAIT).until(ExpectedConditions.stalenessOf(table));
      assertThat(browser.getCurrentUrl()).isNotEqualTo(before).contains("_cursor=");
    }
    assertThat(seen).hasSize(PAGED);
    assertThat(pages).isEqualTo(PAGED / 100);
  }

  @Test
  void eventDetail_isAReadableCard_withTheRawFhirJsonOnOneClick() {
    signIn(loginLink());
    browser.get(console + "search?patient:identifier=" + PATIENTS + "%7CACC-1&agent=alice");
    waitFor(By.cssSelector("#results-table a.event-link")).click();
    WebElement card = waitFor(By.id("event-card"));
    assertThat(card.getText())
        .contains("Alice Archer")
        .contains("ACC-1")
        .contains("Read")
        .contains("ehr-1");
    WebElement raw = browser.findElement(By.id("raw-json"));
    assertThat(raw.isDisplayed()).isFalse();
    browser.findElement(By.id("show-json")).click();
    assertThat(raw.isDisplayed()).isTrue();
    assertThat(raw.getText()).contains("\"resourceType\": \"AuditEvent\"").contains("Alice Archer");
  }

  @Test
  void eventDetail_showsTheOriginalAtnaXml_asReceived_asText() {
    signIn(loginLink());
    browser.get(console + "search?patient:identifier=" + ATNA_PATIENT);
    waitFor(By.cssSelector("#results-table a.event-link")).click();
    waitFor(By.id("event-card"));
    browser.findElement(By.id("show-original")).click();
    new WebDriverWait(browser, WAIT)
        .until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.id("raw-original"), "AuditMessage"));
    String original = browser.findElement(By.id("raw-original")).getText();
    assertThat(original)
        .contains("IHE+RFC-3881") // the syslog header, as received
        .contains("<AuditMessage")
        .contains("ParticipantObjectID=\"7627199^^^HZLN&amp;");
    assertThat(browser.findElement(By.id("original-note")).getText()).contains("atna.raw");
    assertThat(browser.findElements(By.cssSelector("main AuditMessage"))).isEmpty();
  }

  @Test
  void anEventCarryingMarkup_isShownAsText_andNothingOfItRuns() {
    signIn(loginLink());
    browser.get(console + "search?patient:identifier=" + PATIENTS + "%7CXSS-1");
    waitFor(By.id("results-table"));
    assertThat(column(2)).containsExactly(XSS);
    assertThat(column(5)).containsExactly(XSS);
    browser.findElement(By.cssSelector("#results-table a.event-link")).click();
    WebElement card = waitFor(By.id("event-card"));
    assertThat(card.getText()).contains(XSS);
    browser.findElement(By.id("show-json")).click();
    assertThat(browser.findElement(By.id("raw-json")).getText()).contains("window.__xss");
    assertThat(browser.findElements(By.cssSelector("main script, main img"))).isEmpty();
    assertThat(((JavascriptExecutor) browser).executeScript("return window.__xss === undefined"))
        .isEqualTo(true);
    assertNoAlert();
  }

  @Test
  void aPatientScopedOfficer_seesOnlyTheirPatient() throws Exception {
    signIn(loginLink("--scope", "patient/AuditEvent.rs", "--patient", "acc-1"));
    browser.get(console + "search?patient:identifier=" + PATIENTS + "%7COTHER-9");
    await()
        .atMost(WAIT)
        .until(
            () ->
                !browser.findElements(By.cssSelector("#results .status, #results .error")).isEmpty()
                    && !browser.findElement(By.id("results")).getText().contains("Searching"));
    assertThat(browser.findElement(By.id("results")).getText()).doesNotContain("Carol");
    assertThat(browser.findElements(By.id("results-table"))).isEmpty();

    browser.get(console + "search");
    waitFor(By.id("results-table"));
    assertThat(column(4)).containsOnly("ACC-1");
    // nor the original record of another patient's event
    String other = firstId("patient:identifier=" + ATNA_PATIENT);
    String cookie = browser.manage().getCookieNamed("atna-session").getValue();
    assertThat(
            get(fhir + "/AuditEvent/" + other + "/$raw", Map.of("Cookie", "atna-session=" + cookie))
                .statusCode())
        .isEqualTo(404);
    assertThat(column(2)).contains("Alice Archer").doesNotContain("Carol Chen", "Pager Bot");
  }

  @Test
  void aMissingScope_isExplained_notShownAsAnEmptyResult() {
    signIn(loginLink("--scope", "user/Subscription.rs"));
    WebElement error = waitFor(By.cssSelector("#results .error"));
    assertThat(error.getText()).contains("scopes").contains("AuditEvent.s");
  }

  @Test
  void signOut_endsTheSessionOnTheServer() throws Exception {
    signIn(loginLink());
    String value = browser.manage().getCookieNamed("atna-session").getValue();
    assertThat(apiWithCookie(value).statusCode()).isEqualTo(200);
    browser.findElement(By.id("signout")).click();
    // the search page has a status line too: wait for the sign-in page itself (the sign-out is
    // audited before it answers, so it can take a moment)
    new WebDriverWait(browser, WAIT)
        .until(ExpectedConditions.urlToBe(console + "signin?signed-out"));
    waitFor(By.cssSelector("main .status"));
    assertThat(browser.manage().getCookieNamed("atna-session")).isNull();
    // the cookie a thief copied before is dead too: the server remembers the sign-out
    assertThat(apiWithCookie(value).statusCode()).isEqualTo(401);
    browser.get(console + "search");
    waitFor(By.cssSelector("main h1"));
    await().atMost(WAIT).until(() -> browser.getCurrentUrl().startsWith(console + "signin"));
  }

  @Test
  void theCookieWorksOnTheApi_butAStateChangingRequestNeedsTheCsrfHeader() throws Exception {
    HttpResponse<String> login = get(loginLink(), Map.of());
    assertThat(login.statusCode()).isEqualTo(303);
    String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(setCookie).contains("HttpOnly").contains("SameSite=Strict").contains("Path=/");
    String value = setCookie.substring("atna-session=".length(), setCookie.indexOf(';'));
    String cookie = "atna-session=" + value;
    HttpResponse<String> session = get(console + "console/session", Map.of("Cookie", cookie));
    Matcher csrf = Pattern.compile("\"csrf\":\"([^\"]+)\"").matcher(session.body());
    assertThat(csrf.find()).as(session.body()).isTrue();

    HttpRequest.Builder search =
        HttpRequest.newBuilder(URI.create(fhir + "/AuditEvent/_search"))
            .header("Cookie", cookie)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("agent=alice"));
    assertThat(http.send(search.build(), HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(403);
    assertThat(
            http.send(
                    search.header("X-CSRF-Token", csrf.group(1)).build(),
                    HttpResponse.BodyHandlers.ofString())
                .statusCode())
        .isEqualTo(200);
    // sign-out itself needs the header
    HttpRequest.Builder logout =
        HttpRequest.newBuilder(URI.create(console + "console/logout"))
            .header("Cookie", cookie)
            .POST(HttpRequest.BodyPublishers.noBody());
    assertThat(http.send(logout.build(), HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(403);
    assertThat(apiWithCookie(value).statusCode()).isEqualTo(200);
    // the link token itself is no API credential
    String linkToken = URLDecoderHelper.param(loginLink(), "link");
    assertThat(
            get(fhir + "/AuditEvent", Map.of("Authorization", "Bearer " + linkToken)).statusCode())
        .isEqualTo(401);
  }

  @Test
  void consolePages_carryAStrictContentSecurityPolicy() throws Exception {
    for (String path : List.of("search", "signin", "assets/app.js", "login?link=x")) {
      HttpResponse<String> r = get(console + path, Map.of());
      String csp = r.headers().firstValue("Content-Security-Policy").orElseThrow();
      assertThat(csp)
          .as(path)
          .contains("script-src 'self'")
          .contains("style-src 'self'")
          .contains("default-src 'none'")
          .doesNotContain("unsafe")
          .doesNotContain("http");
    }
    assertThat(get(console + "login?link=x", Map.of()).statusCode()).isEqualTo(400);
  }

  @Test
  void everyPage_hasNoSeriousOrCriticalAccessibilityViolations() throws Exception {
    signIn(loginLink());
    browser.get(console + "search?patient:identifier=" + PATIENTS + "%7CACC-1");
    waitFor(By.id("results-table"));
    new WebDriverWait(browser, WAIT)
        .until(d -> !d.findElements(By.cssSelector("#histogram .bar")).isEmpty());
    assertAccessible("search");
    screenshot("search");
    ((JavascriptExecutor) browser)
        .executeScript("document.getElementById('integrity').scrollIntoView()");
    screenshot("search-results");
    browser.findElement(By.cssSelector("#results-table a.event-link")).click();
    waitFor(By.id("event-card"));
    browser.findElement(By.id("show-json")).click();
    assertAccessible("event detail");
    screenshot("event");
    browser.get(console + "access-report?identifier=" + PATIENTS + "%7CACC-1");
    waitFor(By.id("report-table"));
    assertAccessible("access report");
    screenshot("access-report");
    String link = loginLink();
    browser.get(link);
    waitFor(By.id("search-form"));
    browser.get(link);
    waitFor(By.id("message"));
    assertAccessible("sign-in refused");
    screenshot("sign-in-refused");
    browser.get(console + "signin");
    waitFor(By.cssSelector("main h1"));
    assertAccessible("sign-in");
    screenshot("sign-in");
  }

  @Test
  void everyPage_fitsATablet_inPortraitAndLandscape_withoutScrollingSideways() throws Exception {
    signIn(loginLink());
    String start = DAY.toString().substring(0, 10);
    String end = DAY.plus(Duration.ofDays(1)).toString().substring(0, 10);
    Map<String, By> pages = new java.util.LinkedHashMap<>();
    pages.put("search?patient:identifier=" + PATIENTS + "%7CACC-1", By.id("results-table"));
    pages.put("access-report?identifier=" + PATIENTS + "%7CACC-1", By.id("report-table"));
    pages.put(
        "user-activity?identifier=pager&start=" + start + "&end=" + end,
        By.id("activity-patients"));
    pages.put("alerts", By.cssSelector("main h1"));
    pages.put("saved-searches", By.cssSelector("main h1"));
    // an iPad's CSS viewport, both ways round
    for (int[] size : new int[][] {{768, 1024}, {1024, 768}}) {
      viewport(size[0], size[1]);
      for (Map.Entry<String, By> page : pages.entrySet()) {
        browser.get(console + page.getKey());
        waitFor(page.getValue());
        String where = page.getKey() + " at " + size[0] + "x" + size[1];
        // wide tables scroll inside their own box; the page itself never scrolls sideways
        long overflow =
            (Long)
                ((JavascriptExecutor) browser)
                    .executeScript(
                        "return document.documentElement.scrollWidth"
                            + " - document.documentElement.clientWidth;");
        assertThat(overflow)
            .as(
                () ->
                    where
                        + ": page wider than the screen; elements reaching past its edge: "
                        + ((JavascriptExecutor) browser)
                            .executeScript(
                                "const w = document.documentElement.clientWidth, out = [];"
                                    + "const t = document.createTreeWalker(document.body, 4);"
                                    + "for (let n = t.nextNode(); n; n = t.nextNode()) {"
                                    + " const r = document.createRange(); r.selectNodeContents(n);"
                                    + " const b = r.getBoundingClientRect();"
                                    + " if (b.right > w) out.push(n.parentElement.tagName + '#'"
                                    + " + n.parentElement.id + '.' + n.parentElement.className"
                                    + " + ' \\'' + n.textContent.slice(0, 40) + '\\' '"
                                    + " + Math.round(b.right)); }"
                                    + "for (const e of document.querySelectorAll('body *')) {"
                                    + " const b = e.getBoundingClientRect();"
                                    + " if (b.right > w) out.push(e.tagName + '#' + e.id + '.'"
                                    + " + e.className + ' ' + Math.round(b.right)); }"
                                    + "return out.slice(0, 8).join(', ');"))
            .isLessThanOrEqualTo(0);
        for (WebElement link : browser.findElements(By.cssSelector("nav a"))) {
          assertThat(link.isDisplayed()).as(where + ": nav " + link.getText()).isTrue();
          assertThat(link.getRect().getX() + link.getRect().getWidth())
              .as(where + ": nav " + link.getText() + " within the screen")
              .isLessThanOrEqualTo(size[0]);
        }
        assertThat(browser.findElement(By.id("signout")).isDisplayed()).as(where).isTrue();
      }
      browser.get(console + "search?patient:identifier=" + PATIENTS + "%7CACC-1");
      waitFor(By.id("results-table"));
      screenshot("search-tablet-" + (size[0] < size[1] ? "portrait" : "landscape"));
    }
  }

  private void viewport(int width, int height) {
    ConsoleBrowsers.viewport(browser, width, height);
  }

  @Test
  void theSearchForm_isKeyboardOperable_withAVisibleFocus() {
    signIn(loginLink());
    WebElement body = browser.findElement(By.tagName("body"));
    body.sendKeys(Keys.TAB); // the skip link comes first
    WebElement skip = browser.switchTo().activeElement();
    assertThat(skip.getText()).isEqualTo("Skip to content");
    assertThat(skip.getCssValue("outline-style")).isEqualTo("solid");
    WebElement patient = browser.findElement(By.id("f-patientidentifier"));
    patient.click();
    patient.sendKeys(PATIENTS + "|ACC-1");
    // Tab through to the Search button and press it with the keyboard
    for (int i = 0;
        i < 40 && !"search-button".equals(browser.switchTo().activeElement().getAttribute("id"));
        i++) {
      browser.switchTo().activeElement().sendKeys(Keys.TAB);
    }
    WebElement button = browser.switchTo().activeElement();
    assertThat(button.getAttribute("id")).isEqualTo("search-button");
    assertThat(button.getCssValue("outline-style")).isEqualTo("solid");
    button.sendKeys(Keys.ENTER);
    waitFor(By.id("results-table"));
    assertThat(column(2)).containsExactlyInAnyOrder("Alice Archer", "Bob Baker");
  }

  @Test
  void theAccessReport_listsWhoAccessedThePatient_andItsCsvIsTheApisCsv() throws Exception {
    signIn(loginLink());
    browser.get(console + "search?patient:identifier=" + PATIENTS + "%7CACC-1");
    waitFor(By.id("patient-report")).click();
    WebElement identifier = waitFor(By.id("r-identifier"));
    assertThat(identifier.getAttribute("value")).isEqualTo(PATIENTS + "|ACC-1");
    String window =
        "start="
            + DAY.toString().substring(0, 10)
            + "&end="
            + DAY.plus(Duration.ofDays(1)).toString().substring(0, 10);
    browser.get(console + "access-report?identifier=" + PATIENTS + "%7CACC-1&" + window);
    waitFor(By.id("report-table"));
    List<String> users =
        browser.findElements(By.cssSelector("#report-table tbody td:first-child")).stream()
            .map(WebElement::getText)
            .toList();
    assertThat(users).containsExactlyInAnyOrder("Alice Archer", "Bob Baker");
    assertThat(browser.findElement(By.id("main")).getText()).doesNotContain("null", "undefined");

    browser.findElement(By.id("report-csv")).click();
    Path file = downloads.resolve("access-report.csv");
    await().atMost(WAIT).until(() -> Files.exists(file) && Files.size(file) > 0);
    String api =
        get(
                fhir
                    + "/Patient/$access-report?identifier="
                    + PATIENTS
                    + "%7CACC-1&"
                    + window
                    + "&_format=text/csv",
                Map.of("Authorization", "Bearer " + bearer))
            .body();
    assertThat(Files.readString(file))
        .isEqualTo(api)
        .contains("Alice Archer")
        .contains("Bob Baker");
  }

  @Test
  void theHistogram_narrowsTheTimeRange_toTheChosenBar() {
    signIn(loginLink());
    browser.get(
        console
            + "search?date=ge"
            + DAY
            + "&date=le"
            + DAY.plus(Duration.ofDays(1)).minusSeconds(1));
    new WebDriverWait(browser, WAIT)
        .until(d -> d.findElements(By.cssSelector("#histogram .bar")).size() == 2);
    WebElement eight =
        browser.findElement(
            By.cssSelector(
                "#histogram .bar[data-start^='"
                    + DAY.plus(Duration.ofHours(8)).toString().substring(0, 13)
                    + "']"));
    assertThat(eight.getAttribute("aria-label")).endsWith(": " + PAGED + " events");
    WebElement table = waitFor(By.id("results-table"));
    eight.click();
    new WebDriverWait(browser, WAIT).until(ExpectedConditions.stalenessOf(table));
    waitFor(By.id("results-table"));
    assertThat(browser.getCurrentUrl())
        .contains("date=ge" + DAY.plus(Duration.ofHours(8)).toString().replace(":", "%3A"));
    assertThat(browser.findElement(By.cssSelector("#results .status")).getText())
        .endsWith("of " + PAGED + ".");
    assertThat(column(2)).containsOnly("Pager Bot");
  }

  @Test
  void dragAcrossTheHistogram_zoomsToTheSpanOfTheBarsCovered() {
    signIn(loginLink());
    browser.get(
        console
            + "search?date=ge"
            + DAY
            + "&date=le"
            + DAY.plus(Duration.ofDays(1)).minusSeconds(1)
            + "&_count=10");
    new WebDriverWait(browser, WAIT)
        .until(d -> d.findElements(By.cssSelector("#histogram .bar")).size() == 2);
    List<WebElement> bars = browser.findElements(By.cssSelector("#histogram .bar"));
    WebElement first = bars.get(0);
    WebElement last = bars.get(1);
    String from = first.getAttribute("data-start");
    String lastStart = last.getAttribute("data-start");
    int total = barCount(first) + barCount(last);
    WebElement table = waitFor(By.id("results-table"));

    // right to left: the span is the same whichever way the pointer goes
    new Actions(browser).clickAndHold(last).moveToElement(first).release().perform();

    new WebDriverWait(browser, WAIT).until(ExpectedConditions.stalenessOf(table));
    waitFor(By.id("results-table"));
    String url = java.net.URLDecoder.decode(browser.getCurrentUrl(), StandardCharsets.UTF_8);
    assertThat(url)
        .contains("date=ge" + Instant.parse(from))
        .contains("date=le" + Instant.parse(lastStart).plus(Duration.ofHours(1)).minusSeconds(1));
    assertThat(browser.findElement(By.cssSelector("#results .status")).getText())
        .endsWith("of " + total + ".");
    assertThat(browser.findElements(By.cssSelector("#histogram .bar.selected")))
        .as("the selection is cleared once zoomed")
        .isEmpty();
  }

  /** The count a histogram bar's accessible label gives. */
  private static int barCount(WebElement bar) {
    String label = bar.getAttribute("aria-label");
    return Integer.parseInt(label.replaceAll(".*: (\\d+) events?$", "$1"));
  }

  @Test
  void theIntegrityBadge_saysTheChainOfTheWindowIsIntact() {
    signIn(loginLink());
    browser.get(
        console
            + "search?date=ge"
            + Instant.now()
                .minus(Duration.ofHours(1))
                .truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    new WebDriverWait(browser, WAIT)
        .until(d -> d.findElement(By.id("integrity")).getAttribute("data-verdict") != null);
    assertThat(browser.findElement(By.id("integrity")).getText()).startsWith("Integrity: intact");
  }

  /** A window over {@code --verify-max-events} is not checked: the badge says so, as text. */
  @Test
  void theIntegrityBadge_ofAWindowWithTooManyEvents_asksToNarrowIt() {
    signIn(loginLink());
    browser.get(console + "search?date=ge" + DAY);
    new WebDriverWait(browser, WAIT)
        .until(d -> d.findElement(By.id("integrity")).getAttribute("data-verdict") != null);
    assertThat(browser.findElement(By.id("integrity")).getAttribute("data-verdict"))
        .isEqualTo("too-many");
    assertThat(browser.findElement(By.id("integrity")).getText())
        .matches("Integrity: too many events to check at once \\(\\d+\\); narrow the time range");
  }

  @Test
  void theUserActivityPage_countsWhatTheUserDid_andLinksEachPatientsAccessReport()
      throws Exception {
    signIn(loginLink());
    // from the navigation, by keyboard: the identifier, then Enter
    browser.findElement(By.cssSelector("nav a[href='/user-activity']")).click();
    WebElement user = waitFor(By.id("a-identifier"));
    String start = DAY.toString().substring(0, 10);
    String end = DAY.plus(Duration.ofDays(1)).toString().substring(0, 10);
    ((JavascriptExecutor) browser)
        .executeScript(
            "document.getElementById('a-start').value = arguments[0];"
                + "document.getElementById('a-end').value = arguments[1];",
            start,
            end);
    user.sendKeys("pager", Keys.ENTER);
    waitFor(By.id("activity-patients"));
    assertThat(browser.getCurrentUrl())
        .isEqualTo(console + "user-activity?identifier=pager&start=" + start + "&end=" + end);
    assertThat(browser.findElement(By.id("activity-summary")).getText())
        .endsWith(": " + PAGED + " events about 7 patients.");
    assertThat(cells("#activity-actions tbody tr")).containsExactly("Read " + PAGED);
    // 1,200 events over pg-0 .. pg-6: the first three have 172 each, the others 171
    List<String> patients = cells("#activity-patients tbody tr");
    assertThat(patients).hasSize(7);
    assertThat(patients.get(0)).startsWith("PG-0 " + PATIENTS + "|PG-0 172");
    assertThat(patients.get(6)).startsWith("PG-6 " + PATIENTS + "|PG-6 171");
    assertThat(browser.findElements(By.cssSelector("#activity-events tbody tr"))).hasSize(200);
    assertThat(browser.findElement(By.id("activity-events-more")).getText())
        .contains("200 of " + PAGED);
    assertThat(browser.findElement(By.id("main")).getText()).doesNotContain("null", "undefined");
    assertAccessible("user activity");
    screenshot("user-activity");

    // the CSV export is the API's CSV: every event, one line each
    browser.findElement(By.id("activity-csv")).click();
    Path file = downloads.resolve("user-activity.csv");
    await()
        .atMost(WAIT)
        .until(
            () -> Files.exists(file) && Files.readString(file).split("\r\n").length == PAGED + 1);
    String api =
        get(
                fhir
                    + "/$user-activity-report?identifier=pager&start="
                    + start
                    + "&end="
                    + end
                    + "&_format=text/csv",
                Map.of("Authorization", "Bearer " + bearer))
            .body();
    assertThat(Files.readString(file)).isEqualTo(api);

    // each patient opens its access report for the same period
    browser.findElement(By.cssSelector("#activity-patients tbody tr:first-child a")).click();
    waitFor(By.id("report-table"));
    assertThat(browser.getCurrentUrl())
        .isEqualTo(
            console
                + "access-report?identifier="
                + URLEncoder.encode(PATIENTS + "|PG-0", StandardCharsets.UTF_8)
                + "&start="
                + start
                + "&end="
                + end);
    assertThat(cells("#report-table tbody tr"))
        .singleElement()
        .asString()
        .startsWith("Pager Bot 172");
  }

  @Test
  void theUserActivityPage_explainsAMissingScope() {
    signIn(loginLink("--scope", "user/Subscription.rs"));
    browser.get(console + "user-activity?identifier=pager");
    WebElement error = waitFor(By.cssSelector("#activity .error"));
    assertThat(error.getText()).contains("Not allowed").contains("scopes");
  }

  @Test
  void aPatientName_isSearchedAsThatPatientsIdentifier_andTheMatchIsShown() throws Exception {
    signIn(loginLink());
    WebElement name = waitFor(By.id("f-patientname"));
    name.sendKeys("dana dawson");
    browser.findElement(By.id("search-button")).click();
    WebElement matches = waitFor(By.id("patient-matches"));
    assertThat(matches.getText())
        .contains("dana dawson")
        .contains("matched 1 patient: Dana Dawson (" + PATIENTS + "|DD-1)");
    waitFor(By.id("results-table"));
    assertThat(browser.getCurrentUrl())
        .contains(
            "patient%3Aidentifier="
                + URLEncoder.encode(PATIENTS + "|DD-1", StandardCharsets.UTF_8));
    assertThat(column(2)).containsExactly("Dora Diaz");
    assertThat(browser.findElement(By.id("f-patientname")).getAttribute("value"))
        .isEqualTo("dana dawson");
    assertAccessible("search by patient name");
    screenshot("search-patient-name");

    WebElement again = browser.findElement(By.id("f-patientname"));
    again.clear();
    again.sendKeys("Nobody Here");
    browser.findElement(By.id("search-button")).click();
    new WebDriverWait(browser, WAIT)
        .until(
            d -> d.findElement(By.id("f-patientname-status")).getText().startsWith("No patient"));
    assertThat(browser.getCurrentUrl()).contains("DD-1"); // nothing searched
  }

  // --- helpers

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

  /** A new link from {@code atna-bridge login-link}, run as the operator runs it. */
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

  /** The texts of the rows {@code css} selects, cells separated by spaces. */
  private List<String> cells(String css) {
    return browser.findElements(By.cssSelector(css)).stream()
        .map(r -> r.getText().replace('\n', ' ').replace('\t', ' '))
        .toList();
  }

  /** The texts of a results table column (1-based). */
  private List<String> column(int n) {
    return browser
        .findElements(By.cssSelector("#results-table tbody tr td:nth-child(" + n + ")"))
        .stream()
        .map(WebElement::getText)
        .toList();
  }

  private void assertNoAlert() {
    try {
      browser.switchTo().alert();
      throw new AssertionError("an alert opened");
    } catch (NoAlertPresentException expected) {
      // nothing ran
    }
  }

  private HttpResponse<String> apiWithCookie(String value) throws Exception {
    return get(fhir + "/AuditEvent?_count=1", Map.of("Cookie", "atna-session=" + value));
  }

  private HttpResponse<String> get(String url, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
    headers.forEach(b::header);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private int total(String query) throws Exception {
    HttpResponse<String> r =
        get(fhir + "/AuditEvent?_count=1&" + query, Map.of("Authorization", "Bearer " + bearer));
    Matcher m = Pattern.compile("\"total\"\\s*:\\s*(\\d+)").matcher(r.body());
    return r.statusCode() == 200 && m.find() ? Integer.parseInt(m.group(1)) : -1;
  }

  private String firstId(String query) throws Exception {
    HttpResponse<String> r =
        get(fhir + "/AuditEvent?_count=1&" + query, Map.of("Authorization", "Bearer " + bearer));
    Matcher m =
        Pattern.compile(
                "\"resourceType\"\\s*:\\s*\"AuditEvent\"\\s*,\\s*\"id\"\\s*:\\s*\"([^\"]+)\"")
            .matcher(r.body());
    assertThat(m.find()).as(r.body()).isTrue();
    return m.group(1);
  }

  /** A BALP-shaped patient record access by {@code user} of {@code patient}. */
  private static String event(
      Instant at,
      String user,
      String name,
      String patient,
      String source,
      String action,
      String what) {
    return "{\"resourceType\":\"AuditEvent\","
        + "\"category\":[{\"coding\":[{\"system\":\"http://dicom.nema.org/resources/ontology/DCM\",\"code\":\"110110\",\"display\":\"Patient Record\"}]}],"
        + "\"code\":{\"coding\":[{\"system\":\"urn:console-test\",\"code\":\"access\",\"display\":"
        + json(what)
        + "}]},"
        + "\"action\":\""
        + action
        + "\",\"recorded\":\""
        + at
        + "\","
        + "\"outcome\":{\"code\":{\"system\":\"http://terminology.hl7.org/CodeSystem/audit-event-outcome\",\"code\":\"0\"}},"
        + "\"patient\":{\"reference\":\"Patient/"
        + patient
        + "\",\"identifier\":{\"system\":\""
        + PATIENTS
        + "\",\"value\":\""
        + patient.toUpperCase(java.util.Locale.ROOT)
        + "\"},\"display\":\""
        + patient.toUpperCase(java.util.Locale.ROOT)
        + "\"},"
        + "\"agent\":[{\"who\":{\"reference\":\"Practitioner/"
        + user
        + "\",\"identifier\":{\"value\":\""
        + user
        + "\"},\"display\":"
        + json(name)
        + "},\"requestor\":true,\"networkString\":\"10.0.0.7\"}],"
        + "\"source\":{\"observer\":{\"display\":"
        + json(source)
        + "}}}";
  }

  private static String json(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** Reads one query parameter of a URL. */
  private static final class URLDecoderHelper {
    static String param(String url, String name) {
      for (String pair : URI.create(url).getRawQuery().split("&")) {
        if (pair.startsWith(name + "=")) {
          return java.net.URLDecoder.decode(
              pair.substring(name.length() + 1), StandardCharsets.UTF_8);
        }
      }
      throw new IllegalArgumentException(name + " not in " + url);
    }
  }
}
