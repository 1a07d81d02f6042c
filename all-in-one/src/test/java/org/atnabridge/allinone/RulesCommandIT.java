package org.atnabridge.allinone;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.atnabridge.allinone.PortInUseIT.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code atna-bridge rules check FILE} as an operator runs it: the packaged jar as a process. */
class RulesCommandIT {

  @TempDir Path dir;

  @Test
  void check_validFile_printsEachCompiledRule_exit0() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("rules.yaml"),
            """
            channels:
              - id: soc-webhook
                type: webhook
                url: http://siem.example.org/hooks/atna
                secrets: ["whsec_c2VjcmV0LXNpZ25pbmcta2V5"]
            packs: [default]
            disable: [source-silent]
            rules:
              - id: login-failures
                title: Repeated login failures
                kind: threshold
                where: "code=110122&outcome:not=0"
                group-by: agent.identifier
                count: 5
                window: 5m
                suppress: 30m
                severity: medium
                notify: [soc-webhook]
            """);
    Result r = PortInUseIT.run("rules", "check", file.toString());

    assertThat(r.exit()).as(r.all()).isZero();
    assertThat(r.stdout())
        .startsWith(file + ": valid: 12 rules (8 enabled), 1 channels, grace 10m")
        .contains(
            "channel soc-webhook: webhook http://siem.example.org/hooks/atna, 1 secret, timeout"
                + " 10s, deadline 24h")
        .contains(
            """
            rule login-failures: threshold, severity medium, enabled
              title: Repeated login failures
              where: code=110122&outcome:not=0
              group-by: agent.identifier
              count: 5, window: 5m
              suppress: 30m
              notify: soc-webhook
            """)
        .contains(
            """
            rule source-silent: silence, severity medium, disabled
              title: Audit source silent for 15 minutes
              where: (every event)
              group-by: source
              after: 15m
              notify: -
            """)
        .contains("rule break-glass: match, severity high, enabled")
        .contains("  calendar: mon,tue,wed,thu,fri 07:00-19:00 Europe/Berlin")
        .doesNotContain("c2VjcmV0");
    assertThat(r.stderr())
        .isEqualTo(
            "warning: "
                + file
                + ":4: channel soc-webhook: url is http, alerts travel unencrypted; use https"
                + System.lineSeparator());
  }

  @Test
  void check_invalidFile_fileLineReasonOnStderr_exit2_noStackTrace() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("bad.yaml"),
            """
            rules:
              - id: login-failures
                title: Repeated login failures
                kind: threshold
                where: "code=110122&outcome:not=0"
                count: 5
                window: 5 minutes
                severity: medium
            """);
    Result r = PortInUseIT.run("rules", "check", file.toString());

    assertThat(r.exit()).as(r.all()).isEqualTo(2);
    assertThat(r.stdout()).isEmpty();
    assertThat(r.stderr())
        .isEqualTo(
            file
                + ":7: rule login-failures.window: bad duration '5 minutes': a number and a unit"
                + " ms, s, m, h or d (30s, 5m, 1h, 90d)"
                + System.lineSeparator());
  }

  @Test
  void check_fhirpath_isParsedByThePackagedEngine() throws Exception {
    Path good =
        Files.writeString(
            dir.resolve("fp.yaml"),
            """
            rules:
              - id: fp
                title: FHIRPath
                kind: match
                fhirpath: "AuditEvent.agent.where(requestor = true).exists()"
                group-by: {fhirpath: "AuditEvent.agent.who.identifier.value"}
                severity: low
            """);
    Result ok = PortInUseIT.run("rules", "check", good.toString());
    assertThat(ok.exit()).as(ok.all()).isZero();
    assertThat(ok.stdout())
        .contains("  where: fhirpath: AuditEvent.agent.where(requestor = true).exists()")
        .contains("  group-by: fhirpath: AuditEvent.agent.who.identifier.value");

    Files.writeString(good, Files.readString(good).replace("exists()", "exists("));
    Result bad = PortInUseIT.run("rules", "check", good.toString());
    assertThat(bad.exit()).as(bad.all()).isEqualTo(2);
    assertThat(bad.stderr()).startsWith(good + ":5: rule fp.fhirpath: not FHIRPath: ");
  }

  @Test
  void check_missingFile_andNoSubcommand_exit2() throws Exception {
    Path missing = dir.resolve("none.yaml");
    Result r = PortInUseIT.run("rules", "check", missing.toString());
    assertThat(r.exit()).as(r.all()).isEqualTo(2);
    assertThat(r.stderr())
        .isEqualTo(missing + ":1: cannot be read: no such file" + System.lineSeparator());

    Result none = PortInUseIT.run("rules");
    assertThat(none.exit()).as(none.all()).isEqualTo(2);
    assertThat(none.stderr()).contains("missing subcommand").contains("check");
  }
}
