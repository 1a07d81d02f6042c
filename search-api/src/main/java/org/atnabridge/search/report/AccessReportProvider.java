package org.atnabridge.search.report;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.atnabridge.store.AuditEventSearch;
import org.atnabridge.store.AuditQuery;
import org.atnabridge.store.Criterion;
import org.atnabridge.store.IdentifierToken;
import org.atnabridge.store.SearchField;
import org.hl7.fhir.r5.model.CodeType;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.IdType;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.InstantType;
import org.hl7.fhir.r5.model.Integer64Type;
import org.hl7.fhir.r5.model.Parameters;
import org.hl7.fhir.r5.model.Patient;
import org.hl7.fhir.r5.model.Reference;
import org.hl7.fhir.r5.model.StringType;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /fhir/Patient/{id}/$access-report?start=&end=} and, for a patient known only by an
 * identifier, {@code GET /fhir/Patient/$access-report?identifier=system|value&start=&end=}: who
 * accessed this patient's records in {@code [start, end)} ({@code AuditEvent.recorded}), one line
 * per user. The patient is matched on {@code AuditEvent.patient}, by literal reference or by
 * identifier. Answered as a Parameters resource:
 *
 * <ul>
 *   <li>{@code patient} (Reference), {@code start}, {@code end} (dateTime), {@code eventsMatching}
 *       and {@code eventsCounted} (integer64), {@code complete} (boolean: false when more than
 *       {@value AccessReport#DEFAULT_MAX_EVENTS} events matched and only that many were read);
 *   <li>one {@code user} per user, most accesses first, with parts {@code who} (Reference: the
 *       agent's reference, identifier and display), {@code display} (string; absent when the user
 *       has none), {@code count} (integer64), {@code firstAccess}, {@code lastAccess} (instant),
 *       {@code purposeOfUse} (Coding, repeated), {@code action} (code, repeated: C R U D E), {@code
 *       outcome} (Coding, repeated).
 * </ul>
 *
 * With {@code _format=text/csv} the same lines as CSV (RFC 4180, header row, {@code text/csv}):
 * {@code user,display,count,first_access,last_access,purposes_of_use,actions,outcomes}, repeated
 * values separated by {@code "; "}. The CSV export has no event limit: it folds every matching
 * event (memory grows with the number of users, not of events), then streams the lines, so it is
 * always complete and never carries the {@code X-Report-Complete: false} header that the capped
 * report once sent.
 */
public final class AccessReportProvider {

  private static final List<String> CSV_HEADER =
      List.of(
          "user",
          "display",
          "count",
          "first_access",
          "last_access",
          "purposes_of_use",
          "actions",
          "outcomes");

  private final AuditEventSearch search;
  private final int maxEvents;

  public AccessReportProvider(AuditEventSearch search) {
    this(search, AccessReport.DEFAULT_MAX_EVENTS);
  }

  AccessReportProvider(AuditEventSearch search, int maxEvents) {
    this.search = search;
    this.maxEvents = maxEvents;
  }

  /** Writes its own answer ({@link ReportResponse}): the CSV export is streamed. */
  @Operation(
      name = "$access-report",
      type = Patient.class,
      idempotent = true,
      manualResponse = true)
  public void accessReport(
      @IdParam(optional = true) @Nullable IdType id,
      @OperationParam(name = "identifier") @Nullable TokenParam identifier,
      @OperationParam(name = "start", min = 1) @Nullable StringType startParam,
      @OperationParam(name = "end", min = 1) @Nullable StringType endParam,
      RequestDetails request) {
    ReportRequest window = ReportRequest.window(startParam, endParam);
    boolean byId = id != null && id.hasIdPart();
    IdentifierToken token = ReportRequest.identifier(identifier);
    if (byId == (token != null)) {
      throw new InvalidRequestException(
          byId
              ? "give either Patient/{id}/$access-report or identifier, not both"
              : "which patient? use Patient/{id}/$access-report or Patient/$access-report?identifier=system|value");
    }
    Reference patient;
    Criterion.ReferenceValue value;
    if (byId) {
      String literal = "Patient/" + Objects.requireNonNull(id).getIdPart();
      patient = new Reference(literal);
      value = Criterion.ReferenceValue.literal(literal);
    } else {
      IdentifierToken given = Objects.requireNonNull(token);
      patient =
          new Reference()
              .setIdentifier(new Identifier().setSystem(given.system()).setValue(given.value()));
      value = Criterion.ReferenceValue.identifier(given);
    }
    AuditQuery.Builder query =
        AuditQuery.builder()
            .recordedFrom(window.from())
            .recordedTo(window.to())
            .reference(SearchField.PATIENT, value);
    if (ReportRequest.csv(request)) {
      AccessReport all = AccessReport.run(search, query, Long.MAX_VALUE);
      ReportResponse.csv(request, CSV_HEADER, rows -> all.users().forEach(u -> rows.row(row(u))));
      return;
    }
    AccessReport report = AccessReport.run(search, query, maxEvents);
    ReportResponse.resource(request, parameters(report, patient, window));
  }

  static Parameters parameters(AccessReport report, Reference patient, ReportRequest window) {
    Parameters p = new Parameters();
    p.addParameter().setName("patient").setValue(patient);
    window.head(p, report.walk());
    for (AccessReport.UserAccess u : report.users()) {
      Parameters.ParametersParameterComponent user = p.addParameter().setName("user");
      user.addPart().setName("who").setValue(u.who().copy());
      ReportRequest.string(
          user, "display", u.display()); // a user known by identifier only has none
      user.addPart().setName("count").setValue(new Integer64Type(u.count()));
      user.addPart().setName("firstAccess").setValue(new InstantType(Date.from(u.first())));
      user.addPart().setName("lastAccess").setValue(new InstantType(Date.from(u.last())));
      u.purposes().values().forEach(c -> user.addPart().setName("purposeOfUse").setValue(c.copy()));
      u.actions().keySet().forEach(a -> user.addPart().setName("action").setValue(new CodeType(a)));
      u.outcomes().values().forEach(c -> user.addPart().setName("outcome").setValue(c.copy()));
    }
    return p;
  }

  /** One user's line of the CSV export. */
  static List<String> row(AccessReport.UserAccess u) {
    return List.of(
        AccessReport.label(u.who()),
        u.display(),
        Long.toString(u.count()),
        u.first().toString(),
        u.last().toString(),
        u.purposes().values().stream()
            .map(AccessReportProvider::text)
            .collect(Collectors.joining("; ")),
        String.join("; ", u.actions().keySet()),
        u.outcomes().values().stream()
            .map(AccessReportProvider::text)
            .collect(Collectors.joining("; ")));
  }

  /** A coding as a person reads it: display, else code. */
  static String text(Coding c) {
    return c.hasDisplay() ? c.getDisplay() : c.hasCode() ? c.getCode() : "";
  }
}
