package org.atnabridge.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.atnabridge.allinone.Pipeline;
import org.atnabridge.allinone.PipelineConfig;
import org.atnabridge.schemas.chain.ChainVerifier;
import org.atnabridge.search.ChainVerificationProvider;
import org.atnabridge.search.VerifyLimits;
import org.atnabridge.search.console.Console;
import org.atnabridge.search.console.ConsoleSessions;
import org.atnabridge.search.security.LocalIssuer;
import org.atnabridge.store.AuditQuery;
import org.atnabridge.store.AuditStore;
import org.atnabridge.store.AuditStores;
import org.hl7.fhir.r5.model.DateTimeType;
import org.hl7.fhir.r5.model.Parameters;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console's time to first rows on the all-in-one with a million events (bench/README.md,
 * "Console: time to first rows"), not run by {@code mvn verify}. A data dir's Lucene index is
 * filled with {@code n} synthetic events through the indexer's own write path ({@link
 * StoreLoadBench#load}, the events of {@link StoreLoadBench#event}: 50,000 patients, 2,000 users,
 * 2026), then {@code serve}'s {@link Pipeline} starts on that data dir and a headless Debian
 * chromium signs in to the console by a one-time link. Each measured search is pressed in the page
 * ({@link #KINDS}: the Search button for a patient over the year, the "Last 30 days" and "Last 7
 * days" quick picks); the page itself records, with {@code performance.now()}, the submit and the
 * moment a new results table has its first row in the DOM. Reported: p50, p95 and max of that time.
 *
 * <p>Arguments: {@code [events=1000000] [searches=20] [dataDir]}. With a data dir whose index
 * already holds the events, the load is skipped (a second run measures a warm index).
 */
public final class ConsoleFirstRowsBench {

  /** Installed before each press: the submit time, and the first row of a new results table. */
  private static final String WATCH =
      """
      window.__t0 = null; window.__first = null;
      const old = document.getElementById('results-table');
      const obs = new MutationObserver(() => {
        const t = document.getElementById('results-table');
        if (window.__t0 !== null && t && t !== old && t.querySelector('tbody tr')) {
          window.__first = performance.now();
          obs.disconnect();
        }
      });
      obs.observe(document.body, { childList: true, subtree: true });
      document.getElementById('search-form').addEventListener(
        'submit', () => { window.__t0 = performance.now(); }, { capture: true, once: true });
      """;

  /**
   * The searches pressed in turn: a patient over the whole year (Search button), the "Last 30 days"
   * and the "Last 7 days" quick picks. With a million events over the year the first two windows
   * are over the default {@code --verify-max-events}, the 7-day one (about 19,000) is not: its
   * badge check runs beside the next searches.
   */
  private static final String[] KINDS = {"patient", "30 days", "7 days"};

  private ConsoleFirstRowsBench() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int searches = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    Path dataDir =
        args.length > 2 ? Path.of(args[2]) : Files.createTempDirectory("atna-console-bench");
    PipelineConfig config =
        PipelineConfig.builder(dataDir)
            .http("127.0.0.1", 0)
            .syslog("127.0.0.1", 0, 0)
            .kafkaPort(0)
            .build();
    fill(config.indexDir(), n);
    verifyCost(config.indexDir());
    System.out.println("load average before the searches: " + StoreLoadBench.loadAverage());
    try (Pipeline pipeline = new Pipeline(config).start()) {
      String root = "http://127.0.0.1:" + pipeline.httpPort() + "/";
      String link =
          ConsoleSessions.link(
              LocalIssuer.open(pipeline.keysDir()),
              root,
              "bench-officer",
              Console.DEFAULT_SCOPE,
              null,
              Set.of(),
              Duration.ofMinutes(15));
      ChromeDriver browser = browser();
      try {
        browser.get(link);
        new WebDriverWait(browser, Duration.ofSeconds(30))
            .until(b -> b.findElements(By.id("search-form")).size() == 1);
        // two unmeasured presses: the first fetches of the page's modules and the JIT's first pass
        press(browser, 0);
        press(browser, 1);
        double[] ms = new double[searches];
        List<String> what = new ArrayList<>();
        for (int i = 0; i < searches; i++) {
          ms[i] = press(browser, i + 2);
          what.add(KINDS[(i + 2) % KINDS.length] + " " + Math.round(ms[i]));
        }
        System.out.println("each search (ms): " + what);
        // what the badge said for each kind of search (not timed)
        for (int k = 0; k < KINDS.length; k++) {
          int press = searches + 2 + k;
          press(browser, press);
          System.out.println("badge, " + KINDS[press % KINDS.length] + ": " + badge(browser));
        }
        Arrays.sort(ms);
        System.out.printf(
            "%d events, %d searches: pressing search -> first rows drawn p50=%.0f ms p95=%.0f ms"
                + " max=%.0f ms%n",
            n,
            searches,
            ms[(searches - 1) / 2],
            ms[(int) Math.ceil(searches * 0.95) - 1],
            ms[searches - 1]);
      } finally {
        browser.quit();
      }
    }
    System.out.println("load average after: " + StoreLoadBench.loadAverage());
  }

  /**
   * What one {@code $verify} of the "Last 30 days" window costs on this index, without the limit
   * (what {@code --verify-max-events} is chosen from): wall time and the events checked, three
   * times (the first warms the JIT).
   */
  private static void verifyCost(Path indexDir) {
    try (AuditStore store = AuditStores.lucene(indexDir)) {
      ChainVerificationProvider provider =
          new ChainVerificationProvider(
              store.search(),
              List::of,
              null,
              List::of,
              ChainVerifier.DEFAULT_PENDING_BOUND,
              Duration::parse,
              VerifyLimits.DEFAULTS.withMaxEvents(VerifyLimits.MAX_MAX_EVENTS));
      Instant now = Instant.now();
      for (int i = 0; i < 3; i++) {
        long t0 = System.nanoTime();
        Parameters p =
            provider.verify(
                new DateTimeType(Date.from(now.minus(Duration.ofDays(30)))), null, null);
        double ms = (System.nanoTime() - t0) / 1e6;
        String checked = p.getParameter("eventsChecked").getValue().primitiveValue();
        long findings =
            p.getParameter().stream().filter(x -> x.getName().equals("finding")).count();
        System.out.printf(
            "$verify of the last 30 days: %s events checked, %d findings, %.0f ms (%.1f µs/event)%n",
            checked, findings, ms, ms * 1000 / Math.max(1, Long.parseLong(checked)));
      }
    }
  }

  /** Loads the events through the indexer's write path unless the index already holds them. */
  private static void fill(Path indexDir, int n) throws Exception {
    try (AuditStore store = AuditStores.lucene(indexDir)) {
      long have = store.search().search(AuditQuery.builder().limit(1).build()).total();
      if (have >= n) {
        System.out.println("index holds " + have + " events: load skipped");
        return;
      }
      EventsFile events = EventsFile.prepare(n, new ChainedEvents(n, 3, Instant.now()));
      try {
        StoreLoadBench.Load load = StoreLoadBench.load(store, events, n, 1);
        System.out.printf(
            "loaded %d events in %.0f s (%.0f/s; generating them took %.0f s)%n",
            n, load.seconds(), n / load.seconds(), events.generateSeconds());
      } finally {
        events.deleteUnlessKept();
      }
    }
  }

  /**
   * One search pressed in the page, the {@link #KINDS} in turn; the milliseconds from submit to the
   * first row drawn.
   */
  private static double press(ChromeDriver browser, int i) throws IOException {
    JavascriptExecutor js = browser;
    js.executeScript(WATCH);
    String kind = KINDS[i % KINDS.length];
    if (kind.equals("patient")) {
      WebElement patient = browser.findElement(By.id("f-patientidentifier"));
      patient.clear();
      patient.sendKeys("urn:oid:1.2.3.4.5|P" + (i * 2_477 % StoreLoadBench.PATIENTS));
      js.executeScript("document.getElementById('f-from').value = '2026-01-01T00:00:00';");
      js.executeScript("document.getElementById('f-to').value = '';");
      browser.findElement(By.id("search-button")).click();
    } else {
      browser.findElement(By.id("f-patientidentifier")).clear();
      long days = kind.equals("7 days") ? 7 : 30;
      browser
          .findElement(By.cssSelector("button.pick[data-ms='" + days * 24 * 3600 * 1000 + "']"))
          .click();
    }
    Object result =
        new WebDriverWait(browser, Duration.ofSeconds(60))
            .pollingEvery(Duration.ofMillis(20))
            .until(
                b ->
                    js.executeScript(
                        "return window.__first === null ? null : window.__first - window.__t0;"));
    return ((Number) result).doubleValue();
  }

  /** The integrity badge's text once it has a verdict (or what it says after 60 s). */
  private static String badge(ChromeDriver browser) {
    try {
      new WebDriverWait(browser, Duration.ofSeconds(60))
          .until(b -> b.findElement(By.id("integrity")).getAttribute("data-verdict") != null);
    } catch (org.openqa.selenium.TimeoutException e) {
      return "(no verdict within 60 s) " + browser.findElement(By.id("integrity")).getText();
    }
    return browser.findElement(By.id("integrity")).getText();
  }

  private static ChromeDriver browser() {
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments(
        "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,720");
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File("/usr/bin/chromedriver"))
            .usingAnyFreePort()
            .build();
    return new ChromeDriver(service, options);
  }
}
