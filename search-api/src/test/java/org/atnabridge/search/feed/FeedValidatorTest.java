package org.atnabridge.search.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Date;
import org.atnabridge.schemas.vocab.CodeSystems;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.Narrative;
import org.hl7.fhir.r5.model.Reference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FeedValidatorTest {

  /**
   * Style that is not plain declarations is refused: CSS escapes and comments hide url() and
   * expression().
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "background:u\\72l(https://evil.test/x)", // CSS hex escape: u\72l( is url(
        "background:u\\000072l(https://evil.test/x)",
        "background:\\75\\72\\6c(https://evil.test/x)",
        "background:ur/**/l(https://evil.test/x)",
        "width:expression(alert(1))",
        "width:expr\\65ssion(alert(1))",
        "behavior:url(x.htc)",
        "-moz-binding:url(x.xml#xss)",
        "color:red;background:url(x)",
        "@import 'x.css'",
        "color:red /* comment */",
        "font-family:'x'",
      })
  void activeStyle_isRefused_namingTheNarrative(String style) {
    AuditEvent event = valid();
    Narrative narrative = new Narrative().setStatus(Narrative.NarrativeStatus.GENERATED);
    narrative.setDivAsString(
        "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p style=\"" + style + "\">x</p></div>");
    event.setText(narrative);
    assertThat(FeedValidator.check(event))
        .singleElement()
        .satisfies(
            issue -> {
              assertThat(issue.expression()).isEqualTo("AuditEvent.text.div");
              assertThat(issue.message()).contains("style attribute");
              assertThat(issue.kind()).isEqualTo(FeedValidator.Issue.Kind.ACTIVE_CONTENT);
            });
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "<p>plain</p>",
        "<p class=\"x\" title=\"t\">styled by class</p>",
        "<b>bold</b>",
        // as IG tools generate it (the IHE BALP examples)
        "<td style=\"display: none\">-</td>",
        "<p style=\"margin-bottom: 0px\"/>",
        "<div style=\"display: inline-block; background-color: #d9e0e7; padding: 6px; margin: 4px; "
            + "border: 1px solid #8da1b4; border-radius: 5px; line-height: 60%\">x</div>",
        "<p style=\"color:red;\">x</p>"
      })
  void narrativeWithPlainStyle_isAccepted(String content) {
    AuditEvent event = valid();
    Narrative narrative = new Narrative().setStatus(Narrative.NarrativeStatus.GENERATED);
    narrative.setDivAsString("<div xmlns=\"http://www.w3.org/1999/xhtml\">" + content + "</div>");
    event.setText(narrative);
    assertThat(FeedValidator.check(event)).isEmpty();
  }

  static AuditEvent valid() {
    AuditEvent e = new AuditEvent();
    e.setRecorded(new Date());
    e.setCode(new CodeableConcept(new Coding(CodeSystems.DCM, "110110", null)));
    e.getSource().setObserver(new Reference().setIdentifier(new Identifier().setValue("ehr-1")));
    e.addAgent().setWho(new Reference().setIdentifier(new Identifier().setValue("dr.who")));
    return e;
  }
}
