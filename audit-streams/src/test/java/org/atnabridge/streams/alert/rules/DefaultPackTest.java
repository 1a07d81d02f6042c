package org.atnabridge.streams.alert.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.atnabridge.schemas.vocab.CodeSystems;
import org.atnabridge.streams.Samples;
import org.atnabridge.testing.TestVectors;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Coding;
import org.junit.jupiter.api.Test;

/**
 * The shipped default pack compiles, and each rule's condition holds for a converted ATNA message
 * of its situation and not for its near miss.
 */
class DefaultPackTest {

  private static final List<AlertRule> PACK = RulePacks.rules("default");

  @Test
  void everyRuleCompiles_withTheIssuesCoverage() {
    assertThat(PACK)
        .extracting(AlertRule::id)
        .containsExactly(
            "break-glass",
            "restricted-record-access",
            "employee-self-access",
            "family-name-match",
            "many-patients",
            "login-failures-user",
            "login-failures-address",
            "after-hours-access",
            "first-user-patient-access",
            "source-silent",
            "large-export");
    assertThat(PACK).allSatisfy(r -> assertThat(r.channels()).isEmpty());
    assertThat(PACK.stream().filter(r -> !r.enabled()).map(AlertRule::id))
        .containsExactlyInAnyOrder(
            "family-name-match", "after-hours-access", "first-user-patient-access");
    assertThat(rule("many-patients").spec())
        .isEqualTo(
            new KindSpec.Distinct(
                rule("many-patients").spec() instanceof KindSpec.Distinct d ? d.field() : null,
                51,
                Duration.ofHours(1)));
    assertThat(rule("login-failures-user").spec())
        .isEqualTo(new KindSpec.Threshold(5, Duration.ofMinutes(5)));
    assertThat(rule("source-silent").spec())
        .isEqualTo(new KindSpec.Silence(Duration.ofMinutes(15)));
    assertThat(rule("first-user-patient-access").spec())
        .isInstanceOfSatisfying(
            KindSpec.FirstSeen.class, f -> assertThat(f.lookBack()).isEqualTo(Duration.ofDays(90)));
  }

  @Test
  void breakGlass_matchesPurposeOfUseBtg_notAnotherPurpose() {
    AuditEvent btg = Samples.convert(withPurposeOfUse("BTG"));
    AuditEvent normal = Samples.convert(withPurposeOfUse("TREAT"));
    assertThat(rule("break-glass").where()).accepts(btg).rejects(normal, Samples.event(1));
  }

  @Test
  void restrictedRecordAccess_matchesVAndRLabels_notNormal() {
    assertThat(rule("restricted-record-access").where())
        .accepts(labelled("V"), labelled("R"))
        .rejects(labelled("N"), Samples.event(1));
    assertThat(rule("restricted-record-access").groupBy().values(Samples.event(1)))
        .contains("|" + Samples.USER_ID);
  }

  @Test
  void loginFailures_matchAFailedLogin_notASuccessfulOne_groupedByUserAndByAddress() {
    AuditEvent failed = Samples.convert(RulesFileTest.login());
    AuditEvent succeeded =
        Samples.convert(
            text(RulesFileTest.login())
                .replace("EventOutcomeIndicator=\"8\"", "EventOutcomeIndicator=\"0\"")
                .getBytes(StandardCharsets.UTF_8));
    for (String id : List.of("login-failures-user", "login-failures-address")) {
      assertThat(rule(id).where()).as(id).accepts(failed).rejects(succeeded, Samples.event(1));
    }
    assertThat(rule("login-failures-user").groupBy().values(failed)).containsExactly("|misys");
    assertThat(rule("login-failures-address").groupBy().values(failed))
        .containsExactly("[192.168.1.5]"); // the converter writes IP addresses in brackets
  }

  @Test
  void patientAccessRules_matchAnEventAboutAPatient_notALogin() {
    AuditEvent access = Samples.event(1);
    AuditEvent login = Samples.convert(RulesFileTest.login());
    for (String id :
        List.of(
            "employee-self-access",
            "family-name-match",
            "many-patients",
            "after-hours-access",
            "first-user-patient-access")) {
      assertThat(rule(id).where()).as(id).accepts(access).rejects(login);
    }
    KindSpec.Distinct many = (KindSpec.Distinct) rule("many-patients").spec();
    assertThat(many.field().values(access))
        .containsExactly(Samples.PATIENT_SYSTEM + "|" + Samples.PATIENT_VALUE);
    assertThat(rule("many-patients").groupBy().values(access)).contains("|" + Samples.USER_ID);
    KindSpec.FirstSeen first = (KindSpec.FirstSeen) rule("first-user-patient-access").spec();
    assertThat(first.fields())
        .allSatisfy(f -> assertThat(f.values(access)).as(f.text()).isNotEmpty());
  }

  @Test
  void sourceSilent_seesEveryEventOfItsSource() {
    assertThat(rule("source-silent").where())
        .accepts(Samples.event(1), Samples.convert(RulesFileTest.login()));
    assertThat(rule("source-silent").groupBy().values(Samples.event(1)))
        .containsExactly("|" + Samples.SOURCE_ID);
  }

  @Test
  void largeExport_countsPatientsOfExports_notOtherEvents() {
    AuditEvent export =
        Samples.convert(
            text(Samples.pixFeed(1))
                .replace(
                    "csd-code=\"110110\" codeSystemName=\"DCM\" originalText=\"Patient Record\"",
                    "csd-code=\"110106\" codeSystemName=\"DCM\" originalText=\"Export\"")
                .getBytes(StandardCharsets.UTF_8));
    assertThat(rule("large-export").where()).accepts(export).rejects(Samples.event(1));
    KindSpec.Distinct d = (KindSpec.Distinct) rule("large-export").spec();
    assertThat(d.field().values(export)).hasSize(1);
  }

  @Test
  void operatorFile_takesThePack_enablesDisablesAndNotifies() {
    AlertRules rules =
        RulesFile.parse(
            "ops.yaml",
            """
            channels:
              - {id: soc, type: kafka}
            packs: [default]
            pack-notify: [soc]
            enable: [after-hours-access]
            disable: [break-glass]
            rules:
              - {id: own, title: Own, kind: match, where: "action=D", severity: low}
            """);
    assertThat(rules.rules()).hasSize(PACK.size() + 1);
    assertThat(rules.rule("after-hours-access").orElseThrow().enabled()).isTrue();
    assertThat(rules.rule("break-glass").orElseThrow().enabled()).isFalse();
    assertThat(rules.rule("many-patients").orElseThrow().channels()).containsExactly("soc");
    assertThat(rules.rule("own").orElseThrow().channels()).isEmpty();
    assertThat(rules.enabled()).extracting(AlertRule::id).contains("own", "after-hours-access");
  }

  @Test
  void operatorFile_packMistakes_atTheirLine() {
    assertThatThrownBy(() -> RulesFile.parse("ops.yaml", "packs: [default]\ndisable:\n  - nope\n"))
        .hasMessage("ops.yaml:3: disable: no rule 'nope'");
    assertThatThrownBy(() -> RulesFile.parse("ops.yaml", "packs:\n  - strict\n"))
        .hasMessage("ops.yaml:2: packs: no rule pack 'strict' (packs: [default])");
    assertThatThrownBy(
            () ->
                RulesFile.parse(
                    "ops.yaml",
                    """
                    packs: [default]
                    rules:
                      - id: break-glass
                        title: Mine
                        kind: match
                        where: "purpose=BTG"
                        severity: low
                    """))
        .hasMessageStartingWith("ops.yaml:3: rule id 'break-glass' given twice: pack default");
    assertThatThrownBy(() -> RulesFile.parse("ops.yaml", "packs: [default]\npack-notify: [soc]\n"))
        .hasMessage("ops.yaml:2: pack-notify: no channel 'soc'");
  }

  private static AlertRule rule(String id) {
    return PACK.stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
  }

  private static byte[] withPurposeOfUse(String code) {
    return text(Samples.pixFeed(1))
        .replace(
            "  </EventIdentification>",
            "    <PurposeOfUse csd-code=\""
                + code
                + "\" codeSystemName=\"2.16.840.1.113883.5.8\" originalText=\"Purpose\"/>\n"
                + "  </EventIdentification>")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static AuditEvent labelled(String confidentiality) {
    AuditEvent e = Samples.event(1);
    e.getMeta().addSecurity(new Coding(CodeSystems.V3_CONFIDENTIALITY, confidentiality, null));
    return e;
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  static {
    TestVectors.root(); // fails early and clearly when the shared corpus is not there
  }
}
