package org.atnabridge.allinone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.schemas.chain.ChainLink;
import org.atnabridge.search.security.LocalIssuer;
import org.atnabridge.store.AuditStore;
import org.atnabridge.store.AuditStores;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Parameters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console's integrity badge over a broken chain, in a real headless Chromium against the
 * packaged {@code serve}: 30 events loaded over the FHIR feed, serve stopped, 25 of them altered
 * and one deleted in its Lucene data dir, serve started again. The badge says "broken", counts the
 * findings, lists the first 20 by sequence number as {@code GET /fhir/AuditEvent/$verify} names
 * them, and points to that call for the rest.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleIntegrityBrowserIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int LOADED = 30;
  private static final int ALTERED = 25;
  private static final int LISTED = 20;

  @TempDir static Path dir;
  private ServeProcess serve;
  private String console;
  private String fhir;
  private Path data;
  private String bearer;
  private WebDriver browser;
  private final HttpClient http = HttpClient.newHttpClient();

  /** The window the page shows: from an hour ago. */
  private final Instant from =
      Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);

  /** The findings tampering must cause: {@code KIND partition P seq S}, in no order. */
  private final Set<String> expected = new java.util.HashSet<>();

  @BeforeAll
  void loadEventsThenTamperWithTheStoredOnes() throws Exception {
    serve = start();
    bearer =
        LocalIssuer.open(data.resolve("keys"))
            .mint("loader", "system/AuditEvent.cruds", null, Set.of("V"), Duration.ofHours(1));
    List<String> events = new ArrayList<>();
    Instant t0 = Instant.now().minus(Duration.ofMinutes(10));
    for (int i = 0; i < LOADED; i++) {
      events.add(event(t0.plusSeconds(i), "pt-" + i));
    }
    FeedBatches.post(fhir, bearer, events);
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> ids().size() == LOADED);
    List<String> ids = ids();
    // the window is intact before anyone touches the store (the console's own self-audit records
    // may still be pending: they come after ours)
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              Parameters p = verify("start=" + from);
              assertThat(p.getParameterBool("intact"))
                  .as(Fhir.jsonParser().encodeResourceToString(p))
                  .isTrue();
            });
    assertThat(serve.terminate(Duration.ofSeconds(60))).as(serve.log()).isTrue();

    Path index = data.resolve("index");
    List<AuditEvent> stored = new ArrayList<>();
    try (AuditStore store = AuditStores.lucene(index)) {
      for (String id : ids) {
        stored.add(store.search().read(id).orElseThrow());
      }
    }
    stored.sort(
        Comparator.comparingInt((AuditEvent e) -> ChainLink.from(e).partition())
            .thenComparingLong(e -> ChainLink.from(e).seq()));
    // one deleted inside its chain (not the first, not the last of ours): a GAP
    AuditEvent deleted = stored.get(LOADED / 2);
    List<AuditEvent> altered = new ArrayList<>();
    for (AuditEvent e : stored) {
      if (e != deleted && e != stored.get(0) && altered.size() < ALTERED) {
        AuditEvent copy = Fhir.auditEventFromJson(Fhir.toJson(e));
        copy.getOutcome().getDetailFirstRep().setText("nothing to see here");
        altered.add(copy);
        expected.add(key("ALTERED", ChainLink.from(e)));
      }
    }
    expected.add(key("GAP", ChainLink.from(deleted)));
    LuceneTampering.rewrite(index, altered);
    LuceneTampering.delete(index, deleted.getIdPart());

    serve = start();
    browser = ConsoleBrowsers.chromium(null);
  }

  @AfterAll
  void stop() throws InterruptedException {
    if (browser != null) {
      browser.quit();
    }
    if (serve != null) {
      serve.close();
    }
  }

  @Test
  void theIntegrityBadge_ofATamperedWindow_saysBroken_andListsTheFindingsBySequenceNumber()
      throws Exception {
    signIn(loginLink());
    browser.get(console + "search?date=ge" + from);
    new WebDriverWait(browser, WAIT)
        .until(d -> d.findElement(By.id("integrity")).getAttribute("data-verdict") != null);
    WebElement badge = browser.findElement(By.id("integrity"));
    assertThat(badge.getAttribute("data-verdict")).as(badge.getText()).isEqualTo("broken");
    List<String> items =
        badge.findElements(By.cssSelector("ul > li")).stream().map(WebElement::getText).toList();
    assertThat(items).as(badge.getText()).hasSize(LISTED + 1);
    String more = items.get(LISTED);
    Matcher m =
        Pattern.compile("… and (\\d+) more: AuditEvent/\\$verify\\?(\\S+) lists them all")
            .matcher(more);
    assertThat(m.matches()).as(more).isTrue();

    // the API's answer for the same window is the reference
    Parameters api = verify(m.group(2));
    assertThat(api.getParameterBool("intact")).isFalse();
    List<Parameters.ParametersParameterComponent> findings = api.getParameters("finding");
    int n = findings.size();
    assertThat(n).isEqualTo(ALTERED + 1);
    assertThat(
            findings.stream()
                .map(f -> key(part(f, "kind"), part(f, "partition"), part(f, "fromSeq"))))
        .containsExactlyInAnyOrderElementsOf(expected);
    List<String> texts = findings.stream().map(f -> part(f, "text")).toList();
    assertThat(badge.getText())
        .startsWith("Integrity: broken – " + n + " findings")
        .doesNotContain("undefined", "null");
    assertThat(items.subList(0, LISTED)).containsExactlyElementsOf(texts.subList(0, LISTED));
    assertThat(items.subList(0, LISTED))
        .allMatch(t -> t.matches("(ALTERED|GAP) partition \\d+ seq \\d+.*"));
    assertThat(Integer.parseInt(m.group(1))).isEqualTo(n - LISTED);
    assertThat(m.group(2)).startsWith("start=");
  }

  // --- helpers

  private ServeProcess start() throws Exception {
    int port = ServeProcess.freePort();
    console = "http://127.0.0.1:" + port + "/";
    fhir = console + "fhir";
    data = dir.resolve("data");
    return ServeProcess.serve(dir, port, ServeProcess.freePort(), 0)
        .awaitReady(Duration.ofSeconds(120));
  }

  private static String key(String kind, ChainLink link) {
    return key(kind, String.valueOf(link.partition()), String.valueOf(link.seq()));
  }

  private static String key(String kind, String partition, String seq) {
    return kind + " partition " + partition + " seq " + seq;
  }

  private static String part(Parameters.ParametersParameterComponent p, String name) {
    return p.getPart().stream()
        .filter(x -> x.getName().equals(name))
        .findFirst()
        .orElseThrow()
        .getValue()
        .primitiveValue();
  }

  private void signIn(String link) {
    browser.get(link);
    new WebDriverWait(browser, WAIT)
        .until(ExpectedConditions.visibilityOfElementLocated(By.id("search-form")));
  }

  /** A new link from {@code atna-bridge login-link}, run as the operator runs it. */
  private String loginLink() {
    var out = new java.io.StringWriter();
    var err = new java.io.StringWriter();
    var cli = AtnaBridgeCommand.commandLine();
    cli.setOut(new java.io.PrintWriter(out, true));
    cli.setErr(new java.io.PrintWriter(err, true));
    int code = cli.execute("login-link", "--data-dir", data.toString());
    assertThat(code).as(err.toString()).isZero();
    String[] lines = out.toString().strip().split("\n");
    return lines[lines.length - 1];
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Authorization", "Bearer " + bearer)
            .header("Accept", "application/fhir+json")
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private Parameters verify(String query) throws Exception {
    HttpResponse<String> r = get(fhir + "/AuditEvent/$verify?" + query);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return Fhir.jsonParser().parseResource(Parameters.class, r.body());
  }

  /** The ids of the loaded events, as searched. */
  private List<String> ids() throws Exception {
    HttpResponse<String> r = get(fhir + "/AuditEvent?agent=tamper-test&_count=100");
    if (r.statusCode() != 200) {
      return List.of();
    }
    Matcher m =
        Pattern.compile(
                "\"resourceType\"\\s*:\\s*\"AuditEvent\"\\s*,\\s*\"id\"\\s*:\\s*\"([^\"]+)\"")
            .matcher(r.body());
    List<String> ids = new ArrayList<>();
    while (m.find()) {
      ids.add(m.group(1));
    }
    return ids.stream().distinct().collect(Collectors.toList());
  }

  /** A patient record read by the agent {@code tamper-test}. */
  private static String event(Instant at, String patient) {
    return "{\"resourceType\":\"AuditEvent\","
        + "\"category\":[{\"coding\":[{\"system\":\"http://dicom.nema.org/resources/ontology/DCM\",\"code\":\"110110\",\"display\":\"Patient Record\"}]}],"
        + "\"code\":{\"coding\":[{\"system\":\"urn:console-test\",\"code\":\"access\",\"display\":\"Patient record read\"}]},"
        + "\"action\":\"R\",\"recorded\":\""
        + at
        + "\",\"outcome\":{\"code\":{\"system\":\"http://terminology.hl7.org/CodeSystem/audit-event-outcome\",\"code\":\"0\"}},"
        + "\"patient\":{\"reference\":\"Patient/"
        + patient
        + "\",\"identifier\":{\"system\":\"urn:oid:1.2.3\",\"value\":\""
        + patient
        + "\"}},"
        + "\"agent\":[{\"who\":{\"reference\":\"Practitioner/tamper-test\",\"identifier\":{\"value\":\"tamper-test\"},\"display\":\"Tamper Test\"},\"requestor\":true}],"
        + "\"source\":{\"observer\":{\"display\":\"ehr-1\"}}}";
  }
}
