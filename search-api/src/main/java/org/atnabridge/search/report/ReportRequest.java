package org.atnabridge.search.report;

import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.time.Instant;
import org.atnabridge.store.IdentifierToken;
import org.hl7.fhir.r5.model.BooleanType;
import org.hl7.fhir.r5.model.DateTimeType;
import org.hl7.fhir.r5.model.Integer64Type;
import org.hl7.fhir.r5.model.Parameters;
import org.hl7.fhir.r5.model.StringType;
import org.jspecify.annotations.Nullable;

/**
 * What the reports over a window of {@code AuditEvent.recorded} share: the required {@code [start,
 * end)} window, the answer's format ({@code _format=text/csv} for CSV, else FHIR Parameters), the
 * head of the Parameters answer.
 *
 * @param start {@code start} as the caller wrote it
 * @param end {@code end} as the caller wrote it
 */
record ReportRequest(DateTimeType start, DateTimeType end) {

  static final String CSV = "text/csv";

  /**
   * Parsed here from strings: HAPI's own dateTime binding answers a bad value with 500.
   *
   * @throws InvalidRequestException (400) when either is missing or invalid, or start is not before
   *     end
   */
  static ReportRequest window(@Nullable StringType start, @Nullable StringType end) {
    ReportRequest r = new ReportRequest(dateTime("start", start), dateTime("end", end));
    if (!r.from().isBefore(r.to())) {
      throw new InvalidRequestException("start must be before end");
    }
    return r;
  }

  Instant from() {
    return start.getValue().toInstant();
  }

  Instant to() {
    return end.getValue().toInstant();
  }

  /** Whether the caller asked for CSV ({@code _format=text/csv}). */
  static boolean csv(RequestDetails request) {
    String[] values = request.getParameters().get("_format");
    return values != null && values.length > 0 && CSV.equals(values[0].split(";")[0].trim());
  }

  /**
   * An identifier as {@code system|value}, {@code value} (any system) or {@code |value} (no
   * system).
   */
  static @Nullable IdentifierToken identifier(@Nullable TokenParam identifier) {
    if (identifier == null || identifier.getValue() == null || identifier.getValue().isBlank()) {
      return null;
    }
    return new IdentifierToken(identifier.getSystem(), identifier.getValue());
  }

  /**
   * The head every report answer starts with: {@code start}, {@code end}, {@code eventsMatching},
   * {@code eventsCounted} and {@code complete}.
   */
  void head(Parameters p, EventWalk walk) {
    p.addParameter().setName("start").setValue(start);
    p.addParameter().setName("end").setValue(end);
    p.addParameter().setName("eventsMatching").setValue(new Integer64Type(walk.matching()));
    p.addParameter().setName("eventsCounted").setValue(new Integer64Type(walk.counted()));
    p.addParameter().setName("complete").setValue(new BooleanType(walk.complete()));
  }

  /**
   * Adds a string part, or nothing for an empty string: a Parameters part needs a value or parts
   * (FHIR invariant inv-1), and an empty string is no value.
   */
  static void string(
      Parameters.ParametersParameterComponent parent, String name, @Nullable String value) {
    if (value != null && !value.isEmpty()) {
      parent.addPart().setName(name).setValue(new StringType(value));
    }
  }

  private static DateTimeType dateTime(String name, @Nullable StringType value) {
    String hint = ": a date or dateTime, e.g. 2026-01-01 or 2026-01-01T00:00:00Z";
    if (value == null || value.getValue() == null || value.getValue().isBlank()) {
      throw new InvalidRequestException(name + " is required" + hint);
    }
    try {
      DateTimeType t = new DateTimeType(value.getValue().trim());
      if (t.getValue() == null) {
        throw new DataFormatException("empty");
      }
      return t;
    } catch (DataFormatException e) {
      throw new InvalidRequestException(name + " is not valid" + hint);
    }
  }
}
