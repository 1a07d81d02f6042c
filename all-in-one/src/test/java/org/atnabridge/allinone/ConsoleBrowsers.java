package org.atnabridge.allinone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * What every console browser test does with Debian's headless chromium: open it at a 1280×720
 * viewport, resize the viewport, take the {@code docs/ui/} screenshots, run axe-core in the page.
 */
final class ConsoleBrowsers {

  private ConsoleBrowsers() {}

  /** Headless chromium with a viewport of exactly 1280×720; downloads into {@code downloads}. */
  static ChromeDriver chromium(@Nullable Path downloads) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments(
        "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,720");
    if (downloads != null) {
      options.setExperimentalOption(
          "prefs",
          Map.of(
              "download.default_directory",
              downloads.toString(),
              "download.prompt_for_download",
              false));
    }
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File("/usr/bin/chromedriver"))
            .usingAnyFreePort()
            .build();
    ChromeDriver browser = new ChromeDriver(service, options);
    viewport(browser, 1280, 720);
    return browser;
  }

  /** Sets the page's viewport (not the window) to width × height CSS pixels. */
  static void viewport(WebDriver browser, int width, int height) {
    JavascriptExecutor js = (JavascriptExecutor) browser;
    long frameW = (Long) js.executeScript("return window.outerWidth - window.innerWidth");
    long frameH = (Long) js.executeScript("return window.outerHeight - window.innerHeight");
    browser.manage().window().setSize(new Dimension(width + (int) frameW, height + (int) frameH));
  }

  /** With {@code -Dui.screenshots=true}: the page as shown, into {@code docs/ui/<name>.png}. */
  static void screenshot(WebDriver browser, String name) throws Exception {
    if (!Boolean.getBoolean("ui.screenshots")) {
      return;
    }
    Path target = Path.of("..", "docs", "ui", name + ".png");
    Files.createDirectories(target.getParent());
    Files.write(target, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
  }

  /** Runs axe-core (from its WebJar) in the page: no serious or critical violation. */
  static void assertAccessible(WebDriver browser, String page) throws Exception {
    String axe;
    try (var in =
        ConsoleBrowsers.class.getResourceAsStream(
            "/META-INF/resources/webjars/axe-core/4.6.3/axe.min.js")) {
      assertThat(in).as("axe-core WebJar").isNotNull();
      axe = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    JavascriptExecutor js = (JavascriptExecutor) browser;
    js.executeScript(axe);
    Object result =
        js.executeAsyncScript(
            "const done = arguments[arguments.length - 1];"
                + "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations"
                + ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
                + ".map(v => v.id + ': ' + v.help + ' ' + v.nodes.map(n => n.target).join(' | '))))"
                + ".catch(e => done(['axe failed: ' + e]));");
    assertThat((List<?>) result).as(page).isEmpty();
  }
}
