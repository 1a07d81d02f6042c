package org.atnabridge.streams.alert;

import java.util.Objects;
import org.atnabridge.schemas.alert.Alert;
import org.hl7.fhir.r5.model.AuditEvent;

/** What stage 3 makes of one firing: the alert and its Security Alert AuditEvent. */
public record EmittedAlert(Alert alert, AuditEvent event) {
  public EmittedAlert {
    Objects.requireNonNull(alert, "alert");
    Objects.requireNonNull(event, "event");
  }
}
