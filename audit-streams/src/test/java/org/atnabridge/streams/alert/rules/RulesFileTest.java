package org.atnabridge.streams.alert.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.atnabridge.streams.Samples;
import org.atnabridge.testing.TestPki;
import org.hl7.fhir.r5.model.AuditEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Loading a rules file: the contract's keys, and every kind of mistake at its line. */
class RulesFileTest {

  /** The example of the rules file contract, verbatim. */
  static final String CONTRACT_EXAMPLE =
      """
      channels:
        - id: soc-webhook
          type: webhook
          url: https://siem.example.org/hooks/atna   # set by the operator; http is allowed, with a warning
          secrets: ["whsec_..."]                      # several during rotation; the first signs
        - id: privacy-office
          type: email
          to: [privacy@hospital.example]
      rules:
        - id: break-glass
          title: Break-glass access
          kind: match
          where: "purpose=BTG"
          severity: high
          notify: [soc-webhook, privacy-office]
        - id: login-failures
          title: Repeated login failures
          kind: threshold
          where: "code=110122&outcome:not=0"
          group-by: agent.identifier       # a search parameter (or fhirpath: ...)
          count: 5
          window: 5m
          suppress: 30m
          severity: medium
          notify: [soc-webhook]
      """;

  @TempDir Path dir;

  @Test
  void contractExample_loadsExactly() throws Exception {
    Path file = Files.writeString(dir.resolve("rules.yaml"), CONTRACT_EXAMPLE);
    AlertRules rules = RulesFile.load(file);

    assertThat(rules.grace()).isEqualTo(Duration.ofMinutes(10));
    assertThat(rules.channels()).hasSize(2);
    Channel.Webhook hook = (Channel.Webhook) rules.channel("soc-webhook").orElseThrow();
    assertThat(hook.url()).isEqualTo(URI.create("https://siem.example.org/hooks/atna"));
    assertThat(hook.secrets()).containsExactly("whsec_...");
    assertThat(hook.deadline()).isEqualTo(Duration.ofHours(24));
    Channel.Email mail = (Channel.Email) rules.channel("privacy-office").orElseThrow();
    assertThat(mail.to()).containsExactly("privacy@hospital.example");
    assertThat(mail.patientNames()).isFalse();
    assertThat(mail.smtp().startTls()).isEqualTo(Channel.StartTls.REQUIRED);

    assertThat(rules.rules())
        .extracting(AlertRule::id)
        .containsExactly("break-glass", "login-failures");
    AlertRule bg = rules.rule("break-glass").orElseThrow();
    assertThat(bg.title()).isEqualTo("Break-glass access");
    assertThat(bg.kind()).isEqualTo(RuleKind.MATCH);
    assertThat(bg.severity()).isEqualTo(AlertSeverity.HIGH);
    assertThat(bg.where().text()).isEqualTo("purpose=BTG");
    assertThat(bg.channels()).containsExactly("soc-webhook", "privacy-office");
    assertThat(bg.enabled()).isTrue();
    assertThat(bg.groupBy()).isNull();
    assertThat(bg.suppress()).isNull();

    AlertRule lf = rules.rule("login-failures").orElseThrow();
    assertThat(lf.spec()).isEqualTo(new KindSpec.Threshold(5, Duration.ofMinutes(5)));
    assertThat(lf.groupBy().text()).isEqualTo("agent.identifier");
    assertThat(lf.suppress()).isEqualTo(Duration.ofMinutes(30));
    assertThat(lf.severity()).isEqualTo(AlertSeverity.MEDIUM);
    assertThat(lf.channels()).containsExactly("soc-webhook");
    assertThat(rules.enabled()).hasSize(2);
  }

  @Test
  void readme_showsTheContractExample_andItsPackExampleLoads() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    String section = readme.substring(readme.indexOf("## Alert rules"));
    List<String> blocks = new java.util.ArrayList<>();
    for (int at = section.indexOf("```yaml\n"); at >= 0 && blocks.size() < 2; ) {
      int end = section.indexOf("```\n", at + 8);
      blocks.add(section.substring(at + 8, end));
      at = section.indexOf("```yaml\n", end);
    }
    assertThat(blocks.get(0)).isEqualTo(CONTRACT_EXAMPLE);
    assertThat(RulesFile.parse("README.md", blocks.get(1)).rule("after-hours-access"))
        .hasValueSatisfying(r -> assertThat(r.enabled()).isTrue());
  }

  @Test
  void contractExample_conditionsAndGroupsMeanWhatASearchMeans() {
    AlertRules rules = RulesFile.parse("rules.yaml", CONTRACT_EXAMPLE);
    AuditEvent failedLogin = Samples.convert(login());
    AlertRule lf = rules.rule("login-failures").orElseThrow();
    assertThat(lf.where()).accepts(failedLogin).rejects(Samples.event(1));
    assertThat(lf.groupBy().values(failedLogin)).isNotEmpty().allMatch(v -> v.contains("|"));
    assertThat(lf.groupBy().values(failedLogin)).contains("|misys");
  }

  @Test
  void warnings_httpUrlAndPlaceholderSecret_butNoSecretInThem() {
    RulesFile.Checked c =
        RulesFile.read(
            "r.yaml",
            """
            channels:
              - id: hook
                type: webhook
                url: http://siem.local/hook
                secrets: ["whsec_not-base64!!"]
            rules:
              - {id: a, title: A, kind: match, where: "action=E", severity: low, notify: [hook]}
            """);
    assertThat(c.warnings())
        .containsExactly(
            "r.yaml:4: channel hook: url is http, alerts travel unencrypted; use https",
            "r.yaml:5: channel hook.secrets[0]: the part after whsec_ is not base64; no signature"
                + " can be made with it");
    assertThat(String.join("\n", c.warnings())).doesNotContain("not-base64!!");
  }

  @Test
  void everyKind_withItsParameters() {
    AlertRules rules =
        RulesFile.parse(
            "kinds.yaml",
            """
            grace: 2m
            channels:
              - {id: k, type: kafka}
              - id: mail
                type: email
                to: [a@example.org, b@example.org]
                from: alerts@example.org
                smtp: {host: smtp.example.org, port: 25, starttls: none, username: u, password-env: SMTP_PASSWORD}
                subject: "${rule.title}"
                patient-names: true
                deadline: 2h
            rules:
              - id: d
                title: D
                kind: distinct
                where: "patient:missing=false"
                group-by: {fhirpath: "AuditEvent.agent.where(requestor = true).who.identifier.value"}
                field: patient
                count: 51
                window: 1h
                severity: medium
                notify: [k, mail]
              - id: s
                title: S
                kind: sequence
                group-by: "fhirpath: AuditEvent.agent.who.identifier.value"
                steps:
                  - {where: "code=110122&outcome:not=0", count: 5}
                  - {where: "code=110122&outcome=0", fhirpath: "AuditEvent.action = 'E'"}
                window: 10m
                severity: high
              - id: f
                title: F
                kind: first-seen
                fields: [agent.identifier, patient]
                look-back: 90d
                severity: informational
                enabled: false
              - id: c
                title: C
                kind: schedule
                where: "patient:missing=false"
                calendar: {days: [mon..fri, sun], from: "07:00", to: "19:00", zone: Europe/Berlin}
                severity: low
              - {id: r, title: R, kind: relationship, relations: [same-person, vip, restricted], severity: high}
              - {id: q, title: Q, kind: silence, group-by: source, after: 15m, severity: medium}
            """);
    assertThat(rules.grace()).isEqualTo(Duration.ofMinutes(2));
    Channel.Email mail = (Channel.Email) rules.channel("mail").orElseThrow();
    assertThat(mail.smtp())
        .isEqualTo(
            new Channel.Smtp("smtp.example.org", 25, Channel.StartTls.NONE, "u", "SMTP_PASSWORD"));
    assertThat(mail.subject()).isEqualTo("${rule.title}");
    assertThat(mail.patientNames()).isTrue();
    assertThat(mail.deadline()).isEqualTo(Duration.ofHours(2));
    assertThat(rules.rule("d").orElseThrow().spec())
        .isInstanceOfSatisfying(
            KindSpec.Distinct.class,
            d -> {
              assertThat(d.count()).isEqualTo(51);
              assertThat(d.window()).isEqualTo(Duration.ofHours(1));
              assertThat(d.field().text()).isEqualTo("patient");
            });
    AuditEvent pixfeed = Samples.event(1);
    assertThat(rules.rule("d").orElseThrow().groupBy().values(pixfeed))
        .containsExactly(Samples.USER_ID);
    assertThat(rules.rule("s").orElseThrow().spec())
        .isInstanceOfSatisfying(
            KindSpec.Sequence.class,
            s -> {
              assertThat(s.steps()).extracting(KindSpec.Step::count).containsExactly(5, 1);
              assertThat(s.steps().get(1).where().text())
                  .isEqualTo("code=110122&outcome=0 and fhirpath: AuditEvent.action = 'E'");
            });
    assertThat(rules.rule("f").orElseThrow().enabled()).isFalse();
    assertThat(rules.rule("f").orElseThrow().where().text()).isEqualTo("(every event)");
    assertThat(rules.rule("f").orElseThrow().where()).accepts(pixfeed);
    assertThat(rules.rule("c").orElseThrow().spec())
        .isInstanceOfSatisfying(
            KindSpec.Schedule.class,
            c -> {
              assertThat(c.days()).hasSize(6).doesNotContain(java.time.DayOfWeek.SATURDAY);
              assertThat(c.zone()).isEqualTo(java.time.ZoneId.of("Europe/Berlin"));
            });
    assertThat(rules.rule("r").orElseThrow().spec())
        .isEqualTo(
            new KindSpec.Relationship(
                java.util.Set.of(
                    KindSpec.Relation.SAME_PERSON,
                    KindSpec.Relation.VIP,
                    KindSpec.Relation.RESTRICTED)));
    assertThat(rules.rule("q").orElseThrow().spec())
        .isEqualTo(new KindSpec.Silence(Duration.ofMinutes(15)));
    assertThat(rules.rule("q").orElseThrow().groupBy().values(pixfeed))
        .containsExactly("|" + Samples.SOURCE_ID);
  }

  @Test
  void fhirpath_trueOnlyForASingleBooleanTrue_andWithWhereBothMustHold() {
    AlertRules rules =
        RulesFile.parse(
            "fp.yaml",
            """
            rules:
              - {id: one, title: T, kind: match, severity: low, fhirpath: "AuditEvent.action = 'C'"}
              - {id: many, title: T, kind: match, severity: low, fhirpath: "AuditEvent.agent.requestor"}
              - {id: text, title: T, kind: match, severity: low, fhirpath: "AuditEvent.action"}
              - {id: both, title: T, kind: match, severity: low, where: "action=C", fhirpath: "AuditEvent.agent.count() > 5"}
            """);
    AuditEvent pixfeed = Samples.event(1); // action C, two agents: requestor true and false
    assertThat(rules.rule("one").orElseThrow().where()).accepts(pixfeed);
    assertThat(rules.rule("many").orElseThrow().where()).rejects(pixfeed);
    assertThat(rules.rule("text").orElseThrow().where()).rejects(pixfeed);
    assertThat(rules.rule("both").orElseThrow().where()).rejects(pixfeed);
  }

  @Test
  void valueExpressions_fhirpathItemsAsText_searchParametersAsTheIndexHoldsThem() {
    AuditEvent pixfeed = Samples.event(1);
    assertThat(ValueExpressions.parse("fhirpath: AuditEvent.category.coding").values(pixfeed))
        .containsExactly("http://dicom.nema.org/resources/ontology/DCM|110110");
    assertThat(ValueExpressions.parse("fhirpath: AuditEvent.agent.who").values(pixfeed))
        .contains("|" + Samples.USER_ID);
    assertThat(ValueExpressions.parse("fhirpath: AuditEvent.action").values(pixfeed))
        .containsExactly("C");
    assertThat(ValueExpressions.parse("agent:identifier").values(pixfeed))
        .isEqualTo(ValueExpressions.parse("agent.identifier").values(pixfeed))
        .contains("|" + Samples.USER_ID);
    assertThat(ValueExpressions.parse("code").values(pixfeed))
        .containsExactly("urn:ihe:event-type-code|ITI-8");
    assertThatThrownBy(() -> ValueExpressions.parse("code.identifier"))
        .hasMessageContaining("not a reference parameter");
    assertThatThrownBy(() -> ValueExpressions.parse("syslog-hostname"))
        .hasMessageContaining("unknown search parameter 'syslog-hostname'");
  }

  static Stream<Arguments> errors() {
    return Stream.of(
        arguments(
            """
            rules:
              - id: a
                title: A
                kind: match
                wehre: "action=E"
                severity: low
            """,
            5,
            "rule a: unknown key 'wehre'"),
        arguments(
            """
            rules:
              - {id: a, title: A, kind: match, where: "action=E", severity: low}
              - {id: a, title: B, kind: match, where: "action=R", severity: low}
            """,
            3,
            "rule id 'a' given twice"),
        arguments(
            """
            channels:
              - {id: k, type: kafka}
            rules:
              - id: a
                title: A
                kind: match
                where: "action=E"
                severity: low
                notify:
                  - k
                  - soc
            """,
            11,
            "rule a.notify: no channel 'soc'"),
        arguments(
            """
            rules:
              - id: a
                kind: match
                where: "action=E"
                severity: low
            """,
            2,
            "rule a: missing 'title'"),
        arguments(
            """
            rules:
              - {id: a, title: A, where: "action=E", severity: low}
            """,
            2,
            "rule a: missing 'kind'"),
        arguments(
            """
            rules:
              - {id: a, title: A, kind: match, where: "action=E"}
            """,
            2,
            "rule a: missing 'severity'"),
        arguments(
            """
            rules:
              - id: a
                title: A
                kind: threshold
                where: "action=E"
                count: 5
                window: 5 minutes
                severity: low
            """,
            7,
            "rule a.window: bad duration '5 minutes'"),
        arguments(
            """
            rules:
              - id: a
                title: A
                kind: threshold
                where: "action=E"
                window: 5m
                severity: low
            """,
            2,
            "rule a: missing 'count'"),
        arguments(
            """
            rules:
              - id: a
                title: A
                kind: match
                where: "action=E"
                window: 5m
                severity: low
            """,
            6,
            "rule a: key 'window' is not used by a match rule"),
        arguments(
            """
            rules:
              - id: a
                title: A
                kind: match

                where: "purpose=BTG&colour=red"
                severity: low
            """,
            6,
            "rule a.where: unknown search parameter: colour"),
        arguments(
            """
            rules:
              - id: a
                title: A
                kind: match
                fhirpath: "AuditEvent.agent.where("
                severity: low
            """,
            5,
            "rule a.fhirpath: not FHIRPath"),
        arguments(
            """
            rules:
              - id: a
                title: A
                kind: match
                severity: low
            """,
            2,
            "rule a: a match rule needs 'where' or 'fhirpath'"),
        arguments(
            """
            rules:
              - id: a
                title: A
                kind: threshold
                where: "action=E"
                group-by: colour
                count: 2
                window: 1m
                severity: low
            """,
            6,
            "rule a.group-by: unknown search parameter 'colour'"),
        arguments(
            """
            rules:
              - id: a
                title: A
                kind: sequence
                steps:
                  - {where: "action=E"}
                window: 1m
                severity: low
            """,
            5,
            "rule a.steps: a sequence has at least two steps"),
        arguments(
            """
            rules:
              - id: a
                title: A
                kind: schedule
                calendar: {days: [mon..fri], from: "07:00", to: "19:00", zone: Mars/Olympus}
                severity: low
            """,
            5,
            "rule a.calendar.zone: not a time zone"),
        arguments(
            """
            rules:
              - {id: a, title: A, kind: relationship, relations: [same-cat], severity: low}
            """,
            2,
            "rule a.relations: 'same-cat' is not one of"),
        arguments(
            """
            rules:
              - {id: a, title: A, kind: silence, severity: low}
            """,
            2,
            "rule a: missing 'after'"),
        arguments(
            """
            grace: soon
            rules:
              - {id: a, title: A, kind: silence, after: 15m, severity: low}
            """,
            1,
            "the rules file.grace: bad duration 'soon'"),
        arguments(
            """
            rules:
              - {id: a, title: A, kind: silence, after: 15m, severity: urgent}
            """,
            2,
            "rule a.severity: 'urgent' is not informational, low, medium, high or critical"),
        arguments(
            """
            rules:
              - {id: a, title: A, kind: match, where: "action=E", severity: low}
            channel:
              - {id: k, type: kafka}
            """,
            3,
            "the rules file: unknown key 'channel'"),
        arguments(
            """
            rules:
              - id: a
                title: A
                kind: match
                where: "action=E"
                severity: low
                  notify: [x]
            """,
            7,
            "not valid YAML"));
  }

  @ParameterizedTest(name = "{2}")
  @MethodSource("errors")
  void errors_nameFileLineAndReason(String yaml, int line, String reason) {
    assertError(yaml, line, reason);
  }

  @Test
  void channelErrors_neverQuoteASecretOrPassword() {
    assertError(
        """
        channels:
          - id: hook
            type: webhook
            url: https://siem.example.org/h
            secrets:
              - whsec_c2VjcmV0
              - s3cr3t-Without-Prefix
        rules:
          - {id: a, title: A, kind: match, where: "action=E", severity: low}
        """,
        7,
        "channel hook.secrets[1]: not whsec_ followed by the secret in base64");
    RulesFileException e =
        catchError(
            """
            channels:
              - id: mail
                type: email
                to: [a@example.org]
                smtp: {host: h, password-env: "hunter2 is my password"}
            rules:
              - {id: a, title: A, kind: match, where: "action=E", severity: low}
            """);
    assertThat(e.line()).isEqualTo(5);
    assertThat(e.getMessage()).doesNotContain("hunter2");
    RulesFileException p =
        catchError(
            """
            channels:
              - id: mail
                type: email
                to: [a@example.org]
                smtp: {host: h, password: hunter2}
            rules:
              - {id: a, title: A, kind: match, where: "action=E", severity: low}
            """);
    assertThat(p.getMessage())
        .isEqualTo("r.yaml:5: channel mail.smtp: unknown key 'password'")
        .doesNotContain("hunter2");
    assertError(
        """
        channels:
          - {id: k, type: pager}
        rules:
          - {id: a, title: A, kind: match, where: "action=E", severity: low}
        """,
        2,
        "channel k.type: 'pager' is not webhook, email or kafka");
    assertError(
        """
        channels:
          - {id: k, type: kafka, url: "https://x"}
        rules:
          - {id: a, title: A, kind: match, where: "action=E", severity: low}
        """,
        2,
        "channel k: key 'url' is not used by a kafka channel");
  }

  @Test
  void smtpTrust_aPemCaFile_loads_andItsMistakesStopTheLoadAtTheirLine() throws Exception {
    TestPki pki = TestPki.create(dir.resolve("pki"));
    String mail =
        """
        channels:
          - id: mail
            type: email
            to: [a@example.org]
            smtp: {host: smtp.example.org, %s}
        rules:
          - {id: a, title: A, kind: match, where: "action=E", severity: low, notify: [mail]}
        """;
    AlertRules rules = RulesFile.parse("r.yaml", mail.formatted("trust: \"" + pki.ca() + "\""));
    assertThat(((Channel.Email) rules.channel("mail").orElseThrow()).smtp())
        .isEqualTo(
            new Channel.Smtp(
                "smtp.example.org", 587, Channel.StartTls.REQUIRED, null, null, pki.ca()));

    Path missing = dir.resolve("nope.pem");
    assertError(
        mail.formatted("trust: \"" + missing + "\""),
        5,
        "channel mail.smtp.trust: " + missing + " is not a readable file or directory");
    Path notPem = Files.writeString(dir.resolve("key.txt"), "not a certificate\n");
    assertError(
        mail.formatted("trust: \"" + notPem + "\""),
        5,
        "channel mail.smtp.trust: " + notPem + " is not a PEM certificate file");
    assertError(
        mail.formatted("starttls: none, trust: \"" + pki.ca() + "\""),
        5,
        "channel mail.smtp.trust: given with starttls: none, where no certificate is checked");
  }

  @Test
  void unsafeYaml_isRefused_aliasesBounded_tagsRefused_sizeBounded() {
    StringBuilder laughs = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i <= 9; i++) {
      laughs.append((char) ('a' + i)).append(": &").append((char) ('a' + i)).append(" [");
      for (int j = 0; j < 10; j++) {
        laughs.append(j == 0 ? "" : ", ").append('*').append((char) ('a' + i - 1));
      }
      laughs.append("]\n");
    }
    assertThat(catchError(laughs.toString()).reason()).contains("not valid YAML");
    assertError(
        """
        rules:
          - !!javax.script.ScriptEngineManager [x]
        """,
        2,
        "not valid YAML: Global tag is not allowed");
    assertError(
        """
        rules:
          - !rule {id: a, title: A, kind: match, where: "action=E", severity: low}
        """,
        2,
        "tag !rule not allowed");
    assertThat(catchError("a: " + "x".repeat(YamlSource.MAX_CHARS)).reason())
        .contains("larger than");
    assertThat(catchError("").getMessage()).isEqualTo("r.yaml:1: empty: give rules: or packs:");
  }

  @Test
  void load_missingOrOversizedFile_namesTheFile() throws Exception {
    Path missing = dir.resolve("nope.yaml");
    assertThatThrownBy(() -> RulesFile.load(missing))
        .isInstanceOf(RulesFileException.class)
        .hasMessage(missing + ":1: cannot be read: no such file");
    Path big =
        Files.writeString(dir.resolve("big.yaml"), "#".repeat((int) RulesFile.MAX_BYTES + 1));
    assertThatThrownBy(() -> RulesFile.load(big))
        .hasMessage(big + ":1: file larger than " + RulesFile.MAX_BYTES + " bytes");
  }

  static byte[] login() {
    return org.atnabridge.testing.TestVectors.bytes(
        "rfc3881-legacy-xml/openatna-application-login.xml");
  }

  private static void assertError(String yaml, int line, String reason) {
    RulesFileException e = catchError(yaml);
    assertThat(e.getMessage()).as(e.getMessage()).startsWith("r.yaml:" + line + ": " + reason);
    assertThat(e.line()).isEqualTo(line);
    assertThat(e.file()).isEqualTo("r.yaml");
  }

  private static RulesFileException catchError(String yaml) {
    try {
      RulesFile.parse("r.yaml", yaml);
    } catch (RulesFileException e) {
      return e;
    }
    throw new AssertionError("loaded:\n" + yaml);
  }

  static List<String> ids(AlertRules r) {
    return r.rules().stream().map(AlertRule::id).toList();
  }
}
