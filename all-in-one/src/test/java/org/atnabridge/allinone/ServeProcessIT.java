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
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.atnabridge.schemas.Fhir;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Bundle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged command as a user runs it: {@code java -jar atna-bridge.jar serve} in its own
 * process, fed by the README's own {@code logger} example and queried with the README's URL, then
 * stopped with SIGTERM. Keeps the README true: if its example breaks, this test does.
 */
class ServeProcessIT {

  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  @TempDir Path dataDir;
  private ServeProcess serve;

  @AfterEach
  void kill() throws InterruptedException {
    if (serve != null) {
      serve.close();
    }
  }

  @Test
  void readmeExample_isFoundWithinFiveSeconds_andSigtermStopsCleanly() throws Exception {
    int http = ServeProcess.freePort();
    int syslog = ServeProcess.freePort();
    int kafka = ServeProcess.freePort();
    long t0 = System.nanoTime();
    serve =
        ServeProcess.start(
                dataDir.resolve("serve.log"), // serve is the default subcommand
                "--data-dir",
                dataDir.resolve("data").toString(),
                "--http-port",
                String.valueOf(http),
                "--syslog-port",
                String.valueOf(syslog),
                "--kafka-port",
                String.valueOf(kafka))
            .awaitReady(Duration.ofSeconds(60));
    System.out.printf("serve ready after %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    assertThat(serve.log())
        .contains("ready: FHIR server on http://127.0.0.1:" + http + "/fhir")
        .contains("(R4: http://127.0.0.1:" + http + "/fhir/R4)")
        .contains("ready: syslog TCP listener on 0.0.0.0:" + syslog)
        .contains("ready: kafka broker (embedded, KRaft) on 127.0.0.1:" + kafka);

    // the commands of the README's "Try it" section (other sections show other token scopes)
    String whole = Files.readString(ROOT.resolve("README.md"));
    int tryIt = whole.indexOf("\n## Try it\n");
    assertThat(tryIt).as("README has a '## Try it' section").isNotNegative();
    String readme = whole.substring(tryIt);
    String logger = shellCommand(readme, "logger ").replace("-P 5514", "-P " + syslog);
    String url =
        extract(readme, "curl -s -H \"Authorization: Bearer \\$TOKEN\" '([^']+)'")
            .replace(":8080/", ":" + http + "/")
            .replace("|", "%7C"); // curl sends it as typed; java.net.URI wants it escaped
    // the README's token command, against this serve's data dir; the token is its last line
    String tokenCommand =
        extract(readme, "TOKEN=\\$\\((bin/atna-bridge token [^|]+?) \\| tail -1\\)")
                .replace(
                    "bin/atna-bridge",
                    "'" + ServeProcess.java() + "' -jar '" + ServeProcess.JAR + "'")
            + " --data-dir '"
            + dataDir.resolve("data")
            + "'";
    Process mint = new ProcessBuilder("bash", "-c", tokenCommand).redirectErrorStream(true).start();
    String[] minted =
        new String(mint.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
            .strip()
            .split("\n");
    assertThat(mint.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(mint.exitValue()).as(String.join("\n", minted)).isZero();
    String token = minted[minted.length - 1];
    assertThat(token).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
    assertThat(serve.log()).contains("atna-bridge token --data-dir");
    assertThat(Files.getPosixFilePermissions(dataDir.resolve("data/keys/token-signing.jwk")))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    // before anything is sent: no token is 401 and says nothing about why; with it, nothing found
    // yet (this also warms the HTTP path, so the five seconds below measure intake to search)
    HttpClient client = HttpClient.newHttpClient();
    HttpResponse<String> anonymous =
        client.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.headers().firstValue("WWW-Authenticate"))
        .get()
        .asString()
        .startsWith("Bearer");
    HttpResponse<String> before =
        client.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(before.statusCode()).as(before.body()).isEqualTo(200);

    long sent = System.nanoTime();
    Process send = new ProcessBuilder("bash", "-c", logger).redirectErrorStream(true).start();
    assertThat(send.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(send.exitValue())
        .as(new String(send.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
        .isZero();

    Bundle[] found = new Bundle[1];
    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () -> {
              HttpResponse<String> response =
                  client.send(
                      HttpRequest.newBuilder(URI.create(url))
                          .header("Authorization", "Bearer " + token)
                          .build(),
                      HttpResponse.BodyHandlers.ofString());
              assertThat(response.statusCode()).isEqualTo(200);
              found[0] =
                  Fhir.context().newJsonParser().parseResource(Bundle.class, response.body());
              assertThat(found[0].getEntry()).hasSize(1);
            });
    System.out.printf("README example found after %d ms%n", (System.nanoTime() - sent) / 1_000_000);
    AuditEvent event = (AuditEvent) found[0].getEntryFirstRep().getResource();
    assertThat(event.getAction()).isEqualTo(AuditEvent.AuditEventAction.R);
    assertThat(event.getPatient().getIdentifier().getValue()).isEqualTo("PAT-42");
    assertThat(event.getSource().getObserver().getIdentifier().getValue())
        .isEqualTo("ehr.example.org");
    // the same search in ITI-81's R4 form on the R4 base finds the same event
    HttpResponse<String> r4 =
        client.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:"
                            + http
                            + "/fhir/R4/AuditEvent?patient.identifier=urn:oid:1.2.3.4%7CPAT-42"))
                .header("Authorization", "Bearer " + token)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r4.statusCode()).as(r4.body()).isEqualTo(200);
    assertThat(r4.body()).contains("\"total\":1").contains("\"id\":\"" + event.getIdPart() + "\"");

    // atna-bridge verify against this serve needs no token flag: it signs one with the data dir's
    // key
    Process verify =
        new ProcessBuilder(
                ServeProcess.java(),
                "-jar",
                ServeProcess.JAR.toString(),
                "verify",
                "--url",
                "http://127.0.0.1:" + http,
                "--kafka-bootstrap",
                "127.0.0.1:" + kafka,
                "--data-dir",
                dataDir.resolve("data").toString())
            .redirectErrorStream(true)
            .start();
    String verified = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(verify.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(verify.exitValue()).as(verified).isZero();
    assertThat(verified).contains("INTACT");

    assertThat(serve.terminate(Duration.ofSeconds(60)))
        .as("serve did not stop on SIGTERM")
        .isTrue();
    assertThat(serve.log())
        .contains("stopping: flushing and committing")
        .doesNotContain("Exception");
  }

  @Test
  void badOption_exitsWithUsageError_namingTheOption() throws Exception {
    Process p =
        new ProcessBuilder(
                ServeProcess.java(),
                "-jar",
                ServeProcess.JAR.toString(),
                "serve",
                "--http-port",
                "70000",
                "--data-dir",
                dataDir.toString())
            .redirectErrorStream(true)
            .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(out).isEqualTo(2);
    assertThat(out).contains("--http-port").doesNotContain("at org.");
  }

  /** The README shell command starting with {@code prefix}, backslash continuations joined. */
  static String shellCommand(String markdown, String prefix) {
    int start = markdown.indexOf(prefix);
    assertThat(start).as("README has no '%s' command", prefix).isNotNegative();
    StringBuilder cmd = new StringBuilder();
    for (String line : markdown.substring(start).split("\n")) {
      if (line.endsWith("\\")) {
        cmd.append(line, 0, line.length() - 1).append(' ');
      } else {
        cmd.append(line);
        break;
      }
    }
    return cmd.toString();
  }

  static String extract(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertThat(m.find()).as("README has no match for %s", regex).isTrue();
    return m.group(1);
  }
}
