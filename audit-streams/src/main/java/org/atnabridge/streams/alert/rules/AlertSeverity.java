package org.atnabridge.streams.alert.rules;

import java.util.Locale;

/**
 * A rule's severity as written in the rules file (Sigma's levels), and the {@code
 * AuditEvent.severity} code (FHIR audit-event-severity, required binding) its alert AuditEvent
 * carries.
 */
public enum AlertSeverity {
  INFORMATIONAL("informational"),
  LOW("notice"),
  MEDIUM("warning"),
  HIGH("error"),
  CRITICAL("critical");

  private final String fhirCode;

  AlertSeverity(String fhirCode) {
    this.fhirCode = fhirCode;
  }

  /** The code of {@code http://hl7.org/fhir/audit-event-severity}. */
  public String fhirCode() {
    return fhirCode;
  }

  /** As written in the rules file: {@code informational}, {@code low}, ... */
  public String yamlName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
