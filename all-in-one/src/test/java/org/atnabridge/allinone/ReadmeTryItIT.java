package org.atnabridge.allinone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.search.security.LocalIssuer;
import org.hl7.fhir.r5.model.CapabilityStatement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command of the README's "Try it" section, taken from README.md itself and run as written
 * against the packaged jar started as {@code bin/atna-bridge} starts it: from a directory whose
 * {@code ./data} is the data dir, with {@code bin/atna-bridge} running the jar. Only the ports
 * differ (free ones instead of 5514, 8080 and 9092). A line {@code #> a ... b} under a command is
 * what it prints: each part, in order. A read that expects an event is retried while the event is
 * on its way (intake, streams, index). If README and product diverge, this test fails.
 *
 * <p>On the same running {@code serve}: the JDK line at start, {@code /fhir/metadata} without any
 * software version (the default), and what a refused client sees and the log says.
 */
class ReadmeTryItIT {

  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final Pattern BLOCK = Pattern.compile("```sh\n(.*?)```", Pattern.DOTALL);

  @TempDir Path home;
  private ServeProcess serve;

  /** One README command, joined across backslash continuations, with the parts of its output. */
  record Command(String line, List<String> expected) {}

  @AfterEach
  void kill() throws InterruptedException {
    if (serve != null) {
      serve.close();
    }
  }

  static List<Command> tryItCommands(String readme) {
    int start = readme.indexOf("\n## Try it\n");
    assertThat(start).as("README has a '## Try it' section").isNotNegative();
    int end = readme.indexOf("\n## ", start + 5);
    String section = readme.substring(start, end < 0 ? readme.length() : end);
    List<Command> commands = new ArrayList<>();
    Matcher m = BLOCK.matcher(section);
    while (m.find()) {
      StringBuilder pending = new StringBuilder();
      for (String line : m.group(1).split("\n")) {
        if (line.startsWith("#>")) {
          assertThat(commands).as("'#>' before any command").isNotEmpty();
          Command last = commands.remove(commands.size() - 1);
          List<String> parts = new ArrayList<>(last.expected());
          for (String part : line.substring(2).trim().split("\\s*\\.\\.\\.\\s*")) {
            if (!part.isEmpty()) {
              parts.add(part);
            }
          }
          commands.add(new Command(last.line(), parts));
        } else if (line.endsWith("\\")) {
          pending.append(line, 0, line.length() - 1).append(' ');
        } else if (!pending.isEmpty() || (!line.isBlank() && !line.startsWith("#"))) {
          commands.add(new Command(pending.append(line).toString().trim(), List.of()));
          pending.setLength(0);
        }
      }
    }
    return commands;
  }

  @Test
  void everyTryItCommand_printsWhatTheReadmeSays() throws Exception {
    List<Command> commands = tryItCommands(Files.readString(ROOT.resolve("README.md")));
    assertThat(commands)
        .extracting(Command::line)
        .anyMatch(c -> c.startsWith("logger "))
        .anyMatch(c -> c.contains("bin/atna-bridge token"))
        .anyMatch(c -> c.contains("--label-clearance"))
        .anyMatch(c -> c.startsWith("bin/atna-bridge reference load"));
    assertThat(commands.stream().filter(c -> !c.expected().isEmpty()).count())
        .isGreaterThanOrEqualTo(4);

    // bin/atna-bridge as the README's commands call it: the packaged jar; docs/ as in the
    // repository
    Path bin = Files.createDirectories(home.resolve("bin"));
    Files.writeString(
        bin.resolve("atna-bridge"),
        "#!/usr/bin/env bash\nexec '"
            + ServeProcess.java()
            + "' -jar '"
            + ServeProcess.JAR
            + "' \"$@\"\n");
    Files.setPosixFilePermissions(
        bin.resolve("atna-bridge"), PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.createSymbolicLink(home.resolve("docs"), ROOT.resolve("docs"));
    int http = ServeProcess.freePort();
    int syslog = ServeProcess.freePort();
    int kafka = ServeProcess.freePort();
    serve =
        ServeProcess.start(
                home,
                home.resolve("serve.log"),
                "--http-port",
                String.valueOf(http),
                "--syslog-port",
                String.valueOf(syslog),
                "--kafka-port",
                String.valueOf(kafka))
            .awaitReady(Duration.ofSeconds(90));
    assertThat(serve.log())
        .contains(
            "java: "
                + System.getProperty("java.home")
                + " ("
                + System.getProperty("java.version")
                + ")");

    StringBuilder script = new StringBuilder("set -euo pipefail\n");
    for (int i = 0; i < commands.size(); i++) {
      Command c = commands.get(i);
      String line =
          c.line()
              .replace("-P 5514", "-P " + syslog)
              .replace("localhost:8080", "127.0.0.1:" + http);
      script.append("echo '@@@ command ").append(i).append("'\n");
      if (c.expected().isEmpty()) {
        script.append(line).append('\n');
        continue;
      }
      StringBuilder glob = new StringBuilder("*");
      for (String part : c.expected()) {
        glob.append('\'').append(part.replace("'", "'\\''")).append("'*");
      }
      // what the README shows may take a moment to be true (the event on its way to the index)
      script
          .append("ok=; for attempt in $(seq 1 150); do out=$(")
          .append(line)
          .append(" 2>&1) || true; ")
          .append("if [[ \"$out\" == ")
          .append(glob)
          .append(" ]]; then ok=1; break; fi; sleep 0.2; done\n")
          .append("printf '%s\\n' \"$out\"\n")
          .append("[[ -n \"$ok\" ]] || { echo '@@@ output differs from the README: command ")
          .append(i)
          .append("'; exit 1; }\n");
    }
    script.append("echo '@@@ done'\n");
    Files.writeString(home.resolve("try-it.sh"), script);

    ProcessBuilder run =
        new ProcessBuilder("bash", home.resolve("try-it.sh").toString())
            .directory(home.toFile())
            .redirectErrorStream(true);
    run.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    run.environment()
        .put("ATNA_KAFKA_BOOTSTRAP", "127.0.0.1:" + kafka); // reference load: this serve's broker
    Process p = run.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue())
        .as("README commands:\n%s\n---\nserve log:\n%s", out, serve.log())
        .isZero();
    assertThat(out).contains("@@@ command " + (commands.size() - 1)).contains("@@@ done");

    String base = "http://127.0.0.1:" + http + "/fhir";
    metadata_statesNoVersion_byDefault(base);
    refusals_answerGenerically_orNameTheScope_andLogOneInfoLine(base);
  }

  private static void metadata_statesNoVersion_byDefault(String base) throws Exception {
    HttpResponse<String> r = get(base + "/metadata", null);
    assertThat(r.statusCode()).isEqualTo(200);
    CapabilityStatement cs =
        Fhir.context().newJsonParser().parseResource(CapabilityStatement.class, r.body());
    assertThat(cs.getSoftware().getName()).isEqualTo("ATNA Bridge");
    assertThat(cs.getSoftware().hasVersion()).as(cs.getSoftware().getVersion()).isFalse();
  }

  private void refusals_answerGenerically_orNameTheScope_andLogOneInfoLine(String base)
      throws Exception {
    // a token signed by another key: the key of another data dir
    LocalIssuer other = LocalIssuer.openOrCreate(home.resolve("other-data/keys"));
    String foreign =
        other.mint(
            "mallory", "system/AuditEvent.rs", null, java.util.Set.of(), Duration.ofMinutes(5));
    int before = serve.log().length();
    HttpResponse<String> invalid = get(base + "/AuditEvent?_count=1", foreign);
    assertThat(invalid.statusCode()).isEqualTo(401);
    assertThat(invalid.headers().allValues("WWW-Authenticate"))
        .containsExactly("Bearer realm=\"atna-bridge\", error=\"invalid_token\"");
    assertThat(invalid.body())
        .contains("authentication required")
        .doesNotContainIgnoringCase("signature");
    assertOneInfoLine(
        before, "401 for GET /fhir/AuditEvent?_count=1 from 127.0.0.1: invalid token: ");

    String feedOnly =
        LocalIssuer.open(home.resolve("data/keys"))
            .mint("clerk", "system/AuditEvent.c", null, java.util.Set.of(), Duration.ofMinutes(5));
    before = serve.log().length();
    HttpResponse<String> denied = get(base + "/AuditEvent?_count=1", feedOnly);
    assertThat(denied.statusCode()).isEqualTo(403);
    assertThat(denied.headers().allValues("WWW-Authenticate"))
        .containsExactly(
            "Bearer realm=\"atna-bridge\", "
                + "error=\"insufficient_scope\", scope=\"system/AuditEvent.s user/AuditEvent.s patient/AuditEvent.s\"");
    assertOneInfoLine(
        before,
        "403 for GET /fhir/AuditEvent?_count=1 from 127.0.0.1 (sub clerk): needs one of "
            + "system/AuditEvent.s user/AuditEvent.s patient/AuditEvent.s, has system/AuditEvent.c");
  }

  /**
   * The log written since {@code from} holds exactly one line with {@code text}, at INFO, and no
   * warning, error or stack trace.
   */
  private void assertOneInfoLine(int from, String text) {
    await().atMost(Duration.ofSeconds(10)).until(() -> serve.log().substring(from).contains(text));
    String written = serve.log().substring(from);
    List<String> lines = written.lines().filter(l -> l.contains(text)).toList();
    assertThat(lines).as(written).hasSize(1);
    assertThat(lines.get(0)).as(written).contains(" INFO ");
    assertThat(written.lines())
        .as(written)
        .noneMatch(
            l ->
                l.contains(" WARN ")
                    || l.contains(" ERROR ")
                    || l.startsWith("\tat ")
                    || l.contains("Exception"));
  }

  private static HttpResponse<String> get(String url, String token) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).header("Accept", "application/fhir+json");
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
