package org.atnabridge.accesslog;

import java.util.List;
import org.hl7.fhir.r5.model.AuditEvent;

/** The result of converting one access log line: exactly one of three outcomes. */
public sealed interface AccessLogConversion {

  /** One AuditEvent, or one per patient when the line names several. */
  record Converted(List<AuditEvent> events) implements AccessLogConversion {
    public Converted {
      events = List.copyOf(events);
    }
  }

  /** Not a FHIR / REST interaction: dropped by the source's rules, to be counted. */
  record Dropped(DropReason reason) implements AccessLogConversion {}

  /** Cannot be read: to be dead-lettered. {@code detail} says where, never repeats line content. */
  record Failed(FailureReason reason, String detail) implements AccessLogConversion {
    /** {@code REASON detail}, as the convert command prints it. */
    @Override
    public String toString() {
      return detail.isEmpty() ? reason.name() : reason + " " + detail;
    }
  }
}
