package org.atnabridge.allinone;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.atnabridge.allinone.PortInUseIT.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --alert-rules FILE} (env {@code ATNA_ALERT_RULES}) of {@code serve} and {@code streams}: a
 * bad file stops start-up with exit 2 and {@code FILE:LINE: reason}, before anything starts.
 */
class AlertRulesOptionIT {

  @TempDir Path dir;

  private Path bad() throws Exception {
    return Files.writeString(
        dir.resolve("bad.yaml"),
        """
        channels:
          - {id: soc, type: kafka}
        rules:
          - id: break-glass
            title: Break-glass access
            kind: match
            where: "purpose=BTG"
            severity: high
            notify: [soc, privacy-office]
        """);
  }

  private static final String REASON = ":9: rule break-glass.notify: no channel 'privacy-office'";

  @Test
  void serve_badRulesFile_exit2_namingFileLineAndReason() throws Exception {
    Path bad = bad();
    Result r =
        PortInUseIT.run(
            "serve",
            "--data-dir",
            dir.resolve("data").toString(),
            "--http-port",
            "0",
            "--syslog-port",
            "0",
            "--syslog-tls-port",
            "0",
            "--kafka-port",
            "0",
            "--alert-rules",
            bad.toString());
    assertThat(r.exit()).as(r.all()).isEqualTo(2);
    assertThat(r.all()).contains(bad + REASON).doesNotContain("at org.", "ready in");
  }

  @Test
  void streams_badRulesFile_fromTheEnvironment_exit2() throws Exception {
    Path bad = bad();
    List<String> command =
        new ArrayList<>(
            List.of(ServeProcess.java(), "-Xmx256m", "-jar", ServeProcess.JAR.toString()));
    command.addAll(
        List.of(
            "streams",
            "--data-dir",
            dir.resolve("data").toString(),
            "--kafka-bootstrap",
            "127.0.0.1:9"));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("ATNA_ALERT_RULES", bad.toString());
    Result r = PortInUseIT.run(pb);
    assertThat(r.exit()).as(r.all()).isEqualTo(2);
    assertThat(r.stderr()).contains(bad + REASON).doesNotContain("at org.");
  }
}
