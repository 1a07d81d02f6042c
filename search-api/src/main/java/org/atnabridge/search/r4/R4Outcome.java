package org.atnabridge.search.r4;

import java.util.ArrayList;
import java.util.List;
import org.atnabridge.schemas.vocab.CodeSystems;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.Coding;
import org.jspecify.annotations.Nullable;

/**
 * R5 {@code outcome} (a Coding, preferred binding) → R4 {@code outcome} (a code with a required
 * binding to 0/4/8/12) and {@code outcomeDesc}. Both THO audit-event-outcome and the R4 core system
 * carry the DICOM EventOutcomeIndicator as is; FHIR issue-severity (R5's other example) maps by
 * meaning. Anything else leaves R4 {@code outcome} absent rather than guessing.
 */
final class R4Outcome {

  private static final String R4_CORE_OUTCOME = "http://hl7.org/fhir/audit-event-outcome";

  private R4Outcome() {}

  static void project(AuditEvent r5, org.hl7.fhir.r4.model.AuditEvent r4) {
    r4.setOutcome(null);
    AuditEventOutcome outcome =
        r5.getOutcome().hasCode() ? outcome(r5.getOutcome().getCode()) : null;
    if (outcome != null) {
      r4.setOutcome(outcome);
    }
    List<String> texts = new ArrayList<>();
    for (CodeableConcept detail : r5.getOutcome().getDetail()) {
      if (detail.hasText()) {
        texts.add(detail.getText());
      } else if (detail.hasCoding() && detail.getCodingFirstRep().hasDisplay()) {
        texts.add(detail.getCodingFirstRep().getDisplay());
      }
    }
    r4.setOutcomeDesc(texts.isEmpty() ? null : String.join("; ", texts));
  }

  static @Nullable AuditEventOutcome outcome(Coding code) {
    String system = code.getSystem();
    String value = code.getCode();
    if (value == null) {
      return null;
    }
    if (CodeSystems.AUDIT_EVENT_OUTCOME.equals(system) || R4_CORE_OUTCOME.equals(system)) {
      return switch (value) {
        case "0" -> AuditEventOutcome._0;
        case "4" -> AuditEventOutcome._4;
        case "8" -> AuditEventOutcome._8;
        case "12" -> AuditEventOutcome._12;
        default -> null;
      };
    }
    if (CodeSystems.ISSUE_SEVERITY.equals(system)) {
      return switch (value) {
        case "information", "success" -> AuditEventOutcome._0;
        case "warning" -> AuditEventOutcome._4;
        case "error" -> AuditEventOutcome._8;
        case "fatal" -> AuditEventOutcome._12;
        default -> null;
      };
    }
    return null;
  }
}
