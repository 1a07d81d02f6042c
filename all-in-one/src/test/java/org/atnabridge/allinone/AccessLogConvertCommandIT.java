package org.atnabridge.allinone;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.atnabridge.schemas.Fhir;
import org.hl7.fhir.r5.model.AuditEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code atna-bridge convert --access-log FORMAT} as a user runs it: the packaged {@code
 * target/atna-bridge.jar} in its own process; asserts the NDJSON, the {@code FILE:LINE: REASON}
 * lines and the exit code.
 */
class AccessLogConvertCommandIT {

  private static final Path JAR = Path.of("target/atna-bridge.jar").toAbsolutePath();
  private static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJtYWxsb3J5In0.c2ln";

  @TempDir Path dir;

  record Run(int exit, String out, String err) {
    List<AuditEvent> events() {
      return out.lines().map(Fhir::auditEventFromJson).toList();
    }
  }

  private static String combined(String user, String method, String target, int status) {
    return "10.0.0.5 - "
        + user
        + " [01/Dec/2026:08:00:00 +0100] \""
        + method
        + " "
        + target
        + " HTTP/1.1\" "
        + status
        + " 100 \"-\" \"curl/8\"";
  }

  @Test
  void combinedLog_oneEventPerLine_droppedLinesAreNoFailure_exit0() throws Exception {
    Path log =
        Files.writeString(
            dir.resolve("access.log"),
            String.join(
                    "\n",
                    combined("dr.house", "GET", "/Patient/p1", 200),
                    combined("-", "GET", "/health", 200),
                    "",
                    combined("dr.house", "GET", "/Observation?patient=a,b", 200),
                    combined("-", "DELETE", "/Observation/o1", 403))
                + "\n");

    Run run = run(null, "--access-log", "combined", log.toString());

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.err()).isEmpty();
    List<AuditEvent> events = run.events();
    assertThat(events)
        .extracting(e -> e.getCode().getCodingFirstRep().getCode())
        .containsExactly("read", "search-type", "search-type", "delete");
    assertThat(events.get(3).getOutcome().getCode().getCode()).isEqualTo("4");

    Run shown = run(null, "--access-log", "combined", "--show-dropped", log.toString());
    assertThat(shown.err().lines()).containsExactly(log + ":2: DROPPED DROP_PATH");

    Run again = run(null, "--access-log", "combined", log.toString());
    assertThat(again.events())
        .extracting(AuditEvent::getIdPart)
        .isEqualTo(events.stream().map(AuditEvent::getIdPart).toList());
  }

  @Test
  void fhirVersionR4_writesTheBalpR4Projection() throws Exception {
    Path log =
        Files.writeString(
            dir.resolve("access.log"), combined("dr.house", "GET", "/Patient/p1", 200) + "\n");

    Run run = run(null, "--access-log", "combined", "--fhir-version", "R4", log.toString());

    assertThat(run.exit()).as(run.err()).isZero();
    org.hl7.fhir.r4.model.AuditEvent event =
        ca.uhn.fhir.context.FhirContext.forR4Cached()
            .newJsonParser()
            .parseResource(org.hl7.fhir.r4.model.AuditEvent.class, run.out().strip());
    assertThat(event.getMeta().getProfile())
        .extracting(p -> p.getValue())
        .containsExactly(
            "https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.PatientRead");
    assertThat(event.getSubtypeFirstRep().getCode()).isEqualTo("read");
    // IHE.BasicAudit.Read: the client is the Destination (110152), its address without brackets
    var client = event.getAgentFirstRep();
    assertThat(client.getType().getCodingFirstRep().getCode()).isEqualTo("110152");
    assertThat(client.getNetwork().getAddress()).isEqualTo("10.0.0.5");
    assertThat(client.getNetwork().getType().toCode()).isEqualTo("2");
    assertThat(event.getEntity())
        .extracting(e -> e.getType().getCode())
        .containsExactlyInAnyOrder("2", "1");
  }

  @Test
  void hostileLines_failWithFileLineAndReason_exit1_tokenNowhere() throws Exception {
    Path log = dir.resolve("hostile.log");
    byte[] badUtf8 = combined("-", "GET", "/Patient/x", 200).getBytes(StandardCharsets.UTF_8);
    badUtf8[20] = (byte) 0xFF;
    byte[] text =
        (String.join(
                    "\n",
                    combined("-", "GET", "/Patient/p1?access_token=" + TOKEN, 200),
                    combined("-", "GET", "/Patient/%00", 200),
                    combined("-", "GET", "/Patient/../../etc/passwd", 200),
                    combined("-", "GET", "/Observation?code=" + "x".repeat(100_000), 200),
                    "10.0.0.5 - - [01/Dec/2026:08:00:00 +0100] \"GET /Patient/p1?access_token="
                        + TOKEN
                        + " HTT")
                + "\n")
            .getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[text.length + badUtf8.length + 1];
    System.arraycopy(text, 0, all, 0, text.length);
    System.arraycopy(badUtf8, 0, all, text.length, badUtf8.length);
    all[all.length - 1] = '\n';
    Files.write(log, all);
    Path missing = dir.resolve("missing.log");

    Run run = run(null, "--access-log", "combined", log.toString(), missing.toString());

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.events())
        .singleElement()
        .satisfies(e -> assertThat(e.getPatient().getReference()).isEqualTo("Patient/p1"));
    assertThat(run.err().lines())
        .containsExactly(
            log + ":2: UNSAFE_PATH NUL in the path",
            log + ":3: UNSAFE_PATH dot segment in the path",
            log
                + ":4: TOO_LONG "
                + (combined("-", "GET", "/Observation?code=" + "x".repeat(100_000), 200).length())
                + " bytes, the limit is 16384",
            log + ":5: TRUNCATED a quoted field is not closed",
            log + ":6: INVALID_UTF8",
            missing + ": NO_SUCH_FILE");
    assertThat(run.out()).doesNotContain(TOKEN).doesNotContain(TOKEN.substring(0, 16));
    assertThat(run.err()).doesNotContain(TOKEN.substring(0, 16)).doesNotContain("Exception");
  }

  @Test
  void sourcesFile_namesTheSource_andJsonLinesFromStdin() throws Exception {
    Path sources =
        Files.writeString(
            dir.resolve("sources.yaml"),
            """
            sources:
              - name: gw
                format: json
                observer: gw.hospital.example
                base-paths: [/fhir]
                json-fields: {user: jwt_sub}
            """);
    String line =
        "{\"time_iso8601\":\"2026-12-01T08:00:00+01:00\",\"remote_addr\":\"10.0.0.9\","
            + "\"request\":\"GET /fhir/Patient/p9 HTTP/1.1\",\"status\":200,\"jwt_sub\":\"u1\","
            + "\"request_id\":\"r-1\"}\n";

    Run run =
        run(
            line.getBytes(StandardCharsets.UTF_8),
            "--access-log-sources",
            sources.toString(),
            "--access-log",
            "gw");

    assertThat(run.exit()).as(run.err()).isZero();
    AuditEvent e = run.events().get(0);
    assertThat(e.getSource().getObserver().getIdentifier().getValue())
        .isEqualTo("gw.hospital.example");
    assertThat(e.getAgent().get(2).getWho().getIdentifier().getValue()).isEqualTo("u1");
  }

  @Test
  void logFormatString_readsThatFormat() throws Exception {
    Path log =
        Files.writeString(
            dir.resolve("custom.log"),
            "10.0.0.5 req-9 [01/Dec/2026:08:00:00 +0100] \"GET /Patient/p7 HTTP/1.1\" 200\n");
    Run run = run(null, "--access-log", "%h %{X-Request-Id}i %t \"%r\" %>s", log.toString());
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.events())
        .singleElement()
        .satisfies(e -> assertThat(e.getPatient().getReference()).isEqualTo("Patient/p7"));
    Run bad = run(null, "--access-log", "%h %t", log.toString());
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).contains("--access-log: log-format:");
  }

  @Test
  void usageErrors_exit2_namingTheSetting() throws Exception {
    Run unknown = run(null, "--access-log", "apache-custom");
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err()).contains("apache-custom").contains("combined, common, json");

    Path bad =
        Files.writeString(
            dir.resolve("bad.yaml"), "sources: [{name: a, format: combined, colour: red}]");
    Run badFile = run(null, "--access-log-sources", bad.toString(), "--access-log", "a");
    assertThat(badFile.exit()).isEqualTo(2);
    assertThat(badFile.err()).contains("sources[0].colour: unknown setting");

    Run noFormat = run(null, "--access-log-sources", bad.toString());
    assertThat(noFormat.exit()).isEqualTo(2);
    assertThat(noFormat.err()).contains("--access-log");
  }

  private Run run(byte[] stdin, String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-jar",
                JAR.toString(),
                "convert"));
    command.addAll(List.of(args));
    Path out = dir.resolve("stdout-" + System.nanoTime());
    Path err = dir.resolve("stderr-" + System.nanoTime());
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    if (stdin == null) {
      pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    }
    Process p = pb.start();
    if (stdin != null) {
      p.getOutputStream().write(stdin);
    }
    p.getOutputStream().close();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("convert did not finish").isTrue();
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }
}
