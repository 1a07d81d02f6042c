package org.atnabridge.allinone;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.testing.TestVectors;
import org.hl7.fhir.r5.model.AuditEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code atna-bridge convert} as a user runs it: the packaged {@code target/atna-bridge.jar} in its
 * own process, fed files and stdin; asserts stdout NDJSON, the {@code FILE: REASON} lines and the
 * exit code.
 */
class ConvertCommandIT {

  private static final Path JAR = Path.of("target/atna-bridge.jar").toAbsolutePath();

  @TempDir Path dir;

  record Run(int exit, String out, String err) {
    List<AuditEvent> events() {
      return out.lines().map(Fhir::auditEventFromJson).toList();
    }
  }

  @Test
  void convert_filesOfEveryKind_printsOneJsonLinePerEvent_exit0() throws Exception {
    Path xml = TestVectors.path("dicom-audit-xml/ipf-pixfeed.xml");
    Path frame = TestVectors.path("syslog-framed/ahdis-iti-47-atna-raw.txt");
    Path syslog = dir.resolve("bsd.log");
    Files.write(
        syslog,
        concat(
            "<85>Apr 18 09:04:00 arr-host java[1234]: ".getBytes(StandardCharsets.UTF_8),
            TestVectors.bytes("dicom-audit-xml/ipf-pdqv3.xml")));

    Run run = run(null, xml.toString(), frame.toString(), syslog.toString());

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out().lines())
        .hasSize(1 + 1 + 6)
        .allSatisfy(l -> assertThat(l).startsWith("{\"resourceType\":\"AuditEvent\""));
    List<AuditEvent> events = run.events();
    assertThat(events.get(0).getPatient().getIdentifier().getValue()).isEqualTo("7627199");
    assertThat(events.get(1).getSeverity()).isEqualTo(AuditEvent.AuditEventSeverity.NOTICE);
    assertThat(events.subList(2, 8))
        .extracting(e -> e.getIdPart().substring(0, 40))
        .containsOnly(events.get(2).getIdPart().substring(0, 40));
  }

  @Test
  void convert_stdin_whenNoFileOrDash() throws Exception {
    byte[] xml = TestVectors.bytes("rfc3881-legacy-xml/openatna-application-login.xml");
    Run none = run(xml);
    Run dash = run(xml, "-");

    assertThat(none.exit()).as(none.err()).isZero();
    assertThat(none.events())
        .singleElement()
        .satisfies(e -> assertThat(e.getOutcome().getCode().getCode()).isEqualTo("8"));
    assertThat(dash.exit()).as(dash.err()).isZero();
    assertThat(dash.events().get(0).getIdPart()).isEqualTo(none.events().get(0).getIdPart());
  }

  @Test
  void convert_someFail_reportsFileAndTypedReason_exit1_andConvertsTheRest() throws Exception {
    Path notXml =
        Files.writeString(dir.resolve("not.xml"), "<85>1 - host app - IHE+RFC-3881 - hello");
    Path truncated = dir.resolve("truncated.xml");
    byte[] full = TestVectors.bytes("dicom-audit-xml/ipf-pixfeed.xml");
    Files.write(truncated, java.util.Arrays.copyOf(full, full.length / 2));
    Path xxe =
        Files.writeString(
            dir.resolve("xxe.xml"),
            "<?xml version=\"1.0\"?>\n<!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<AuditMessage>&x;</AuditMessage>");
    Path badFrame =
        Files.writeString(dir.resolve("frame.txt"), "99 <85>1 - - - - - - <AuditMessage/>");
    Path good = TestVectors.path("dicom-audit-xml/ipf-start.xml");
    Path missing = dir.resolve("missing.xml");

    Run run =
        run(
            null,
            notXml.toString(),
            truncated.toString(),
            good.toString(),
            xxe.toString(),
            badFrame.toString(),
            missing.toString());

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.events())
        .singleElement()
        .satisfies(e -> assertThat(e.getCode().getCodingFirstRep().getCode()).isEqualTo("110120"));
    assertThat(run.err().lines())
        .containsExactly(
            notXml + ": NOT_XML payload at offset 34 does not start with '<'",
            truncated + ": " + reasonOf(run.err(), truncated),
            xxe + ": " + reasonOf(run.err(), xxe),
            badFrame + ": BAD_FRAME MSG-LEN 99 does not match the 33 octets that follow it",
            missing + ": NO_SUCH_FILE");
    assertThat(reasonOf(run.err(), truncated)).matches("XML_MALFORMED at \\d+:\\d+: .+");
    assertThat(reasonOf(run.err(), xxe)).startsWith("XML_UNSAFE DTD_NOT_ALLOWED at 2:");
    assertThat(run.err()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void convert_pretty_indents() throws Exception {
    Run run = run(null, "--pretty", TestVectors.path("dicom-audit-xml/ipf-stop.xml").toString());
    assertThat(run.exit()).isZero();
    assertThat(run.out()).startsWith("{\n").contains("\n  \"resourceType\": \"AuditEvent\"");
  }

  @Test
  void convert_fhirVersionR4_writesTheR4Projection_defaultStaysR5() throws Exception {
    // ITI-21 PDQ: the IP of the DICOM NetworkAccessPointID (type 2), R5 stores it as "[ip]"
    String xml = TestVectors.path("dicom-audit-xml/ipf-pixfeed.xml").toString();

    Run r4 = run(null, "--fhir-version", "R4", xml);
    Run r5 = run(null, xml);
    Run explicitR5 = run(null, "--fhir-version", "R5", xml);

    assertThat(r4.exit()).as(r4.err()).isZero();
    assertThat(r4.err()).isEmpty();
    assertThat(r4.out().lines()).hasSize(1);
    org.hl7.fhir.r4.model.AuditEvent event =
        ca.uhn.fhir.context.FhirContext.forR4Cached()
            .newJsonParser()
            .parseResource(org.hl7.fhir.r4.model.AuditEvent.class, r4.out().strip());
    AuditEvent stored = r5.events().get(0);
    assertThat(event.getIdPart()).isEqualTo(stored.getIdPart());
    // R4 elements R5 does not have: type, subtype, outcome code, agent.network with its type
    assertThat(event.getType().getCode()).isEqualTo("110110");
    assertThat(event.getSubtypeFirstRep().getCode()).isEqualTo("ITI-8");
    assertThat(event.getOutcome().toCode()).isEqualTo("0");
    var networked =
        event.getAgent().stream()
            .filter(
                a ->
                    a.getNetwork().getType() != null
                        && a.getNetwork().getType().toCode().equals("2"))
            .toList();
    assertThat(networked).isNotEmpty();
    assertThat(networked)
        .allSatisfy(a -> assertThat(a.getNetwork().getAddress()).doesNotContain("["));
    assertThat(r4.out()).doesNotContain("\"category\"").contains("\"subtype\"");
    assertThat(r5.out()).contains("\"category\"").doesNotContain("\"subtype\"");
    assertThat(r5.out()).contains("\"networkString\":\"[127.0.0.1]\"");
    assertThat(r4.out()).contains("\"address\":\"127.0.0.1\",\"type\":\"2\"");
    // the same event (the receive time in raw-receipt is the run's own)
    assertThat(explicitR5.events())
        .extracting(AuditEvent::getIdPart)
        .containsExactly(stored.getIdPart());
    assertThat(explicitR5.out()).contains("\"category\"").doesNotContain("\"subtype\"");
  }

  @Test
  void convert_badFhirVersion_exit2_namingTheOption() throws Exception {
    Run bad =
        run(
            null,
            "--fhir-version",
            "R3",
            TestVectors.path("dicom-audit-xml/ipf-stop.xml").toString());
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.out()).isEmpty();
    assertThat(bad.err()).contains("--fhir-version").contains("R3").doesNotContain("at org.");
  }

  @Test
  void convert_usageError_exit2() throws Exception {
    Run unknown = run(null, "--no-such-option");
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err()).contains("--no-such-option").doesNotContain("at org.");
    Run twoStdin = run(new byte[0], "-", "-");
    assertThat(twoStdin.exit()).isEqualTo(2);
  }

  private static String reasonOf(String err, Path file) {
    return err.lines()
        .filter(l -> l.startsWith(file + ": "))
        .findFirst()
        .orElseThrow()
        .substring(file.toString().length() + 2);
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

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] c = new byte[a.length + b.length];
    System.arraycopy(a, 0, c, 0, a.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }
}
