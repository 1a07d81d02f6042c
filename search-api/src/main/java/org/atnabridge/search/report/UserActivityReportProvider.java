package org.atnabridge.search.report;

import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.util.List;
import java.util.stream.Collectors;
import org.atnabridge.store.AuditEventSearch;
import org.atnabridge.store.AuditQuery;
import org.atnabridge.store.Criterion;
import org.atnabridge.store.IdentifierToken;
import org.atnabridge.store.SearchField;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.CodeType;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.InstantType;
import org.hl7.fhir.r5.model.Integer64Type;
import org.hl7.fhir.r5.model.Parameters;
import org.hl7.fhir.r5.model.Reference;
import org.hl7.fhir.r5.model.StringType;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /fhir/$user-activity-report?identifier=system|value&start=&end=}: what one user did in
 * {@code [start, end)} ({@code AuditEvent.recorded}): the events in which an agent's {@code
 * who.identifier} is the user ({@code value} alone matches any system, {@code |value} none, as in
 * the {@code agent:identifier} search). Answered as a Parameters resource:
 *
 * <ul>
 *   <li>{@code user} (Reference with the identifier), {@code start}, {@code end} (dateTime), {@code
 *       eventsMatching}, {@code eventsCounted} (integer64), {@code complete} (boolean: false when
 *       more than {@value EventWalk#DEFAULT_MAX_EVENTS} events matched and only that many were
 *       read; the counts cover the events read);
 *   <li>one {@code action} per action code, parts {@code code} (code: C R U D E) and {@code count}
 *       (integer64);
 *   <li>one {@code category} per {@code AuditEvent.category} coding (the DICOM EventID, e.g. DCM
 *       110114 User Authentication) and one {@code code} per {@code AuditEvent.code} coding (the
 *       event type, e.g. ITI-9), parts {@code coding} (Coding) and {@code count}, most frequent
 *       first;
 *   <li>{@code patientCount} (integer64, the distinct patients) and one {@code patient} per patient
 *       named, parts {@code who} (Reference) and {@code count}, most events first;
 *   <li>one {@code event} per event, newest first, parts {@code event} (Reference {@code
 *       AuditEvent/id}), {@code recorded} (instant), {@code action} (code), {@code category} and
 *       {@code code} (Coding, repeated), {@code outcome} (Coding), {@code patient} (Reference,
 *       repeated).
 * </ul>
 *
 * With {@code _format=text/csv} one line per event (RFC 4180, header row): {@code
 * recorded,event,action,category,code,outcome,patients}, repeated values separated by {@code "; "}.
 * The CSV export has no event limit: each line is written as its event is read from the store, so
 * it holds nothing per event and is always complete (it never carries the {@code X-Report-Complete:
 * false} header that the capped report once sent). Like every report it reads only through the
 * caller's view of the store: a {@code patient/} token gets the user's events about its own
 * patient, events above the caller's label clearance are left out.
 */
public final class UserActivityReportProvider {

  private static final List<String> CSV_HEADER =
      List.of("recorded", "event", "action", "category", "code", "outcome", "patients");

  private final AuditEventSearch search;
  private final int maxEvents;

  public UserActivityReportProvider(AuditEventSearch search) {
    this(search, EventWalk.DEFAULT_MAX_EVENTS);
  }

  UserActivityReportProvider(AuditEventSearch search, int maxEvents) {
    this.search = search;
    this.maxEvents = maxEvents;
  }

  /** Writes its own answer ({@link ReportResponse}): the CSV export is streamed. */
  @Operation(name = "$user-activity-report", idempotent = true, manualResponse = true)
  public void userActivityReport(
      @OperationParam(name = "identifier", min = 1) @Nullable TokenParam identifier,
      @OperationParam(name = "start", min = 1) @Nullable StringType startParam,
      @OperationParam(name = "end", min = 1) @Nullable StringType endParam,
      RequestDetails request) {
    ReportRequest window = ReportRequest.window(startParam, endParam);
    IdentifierToken user = ReportRequest.identifier(identifier);
    if (user == null) {
      throw new InvalidRequestException(
          "which user? give identifier=system|value (or value for any system)");
    }
    AuditQuery.Builder query =
        AuditQuery.builder()
            .recordedFrom(window.from())
            .recordedTo(window.to())
            .reference(SearchField.AGENT, Criterion.ReferenceValue.identifier(user));
    if (ReportRequest.csv(request)) {
      ReportResponse.csv(
          request,
          CSV_HEADER,
          rows -> UserActivityReport.lines(search, query, line -> rows.row(row(line))));
      return;
    }
    UserActivityReport report = UserActivityReport.run(search, query, maxEvents);
    Reference who =
        new Reference()
            .setIdentifier(
                new Identifier()
                    .setSystem(
                        user.system() == null || user.system().isEmpty() ? null : user.system())
                    .setValue(user.value()));
    ReportResponse.resource(request, parameters(report, who, window));
  }

  static Parameters parameters(UserActivityReport report, Reference user, ReportRequest window) {
    Parameters p = new Parameters();
    p.addParameter().setName("user").setValue(user);
    window.head(p, report.walk());
    report
        .actions()
        .forEach(
            (code, count) -> {
              Parameters.ParametersParameterComponent action = p.addParameter().setName("action");
              action.addPart().setName("code").setValue(new CodeType(code));
              action.addPart().setName("count").setValue(new Integer64Type(count));
            });
    counts(p, "category", report.categories());
    counts(p, "code", report.codes());
    p.addParameter().setName("patientCount").setValue(new Integer64Type(report.patients().size()));
    for (UserActivityReport.PatientCount pc : report.patients()) {
      Parameters.ParametersParameterComponent patient = p.addParameter().setName("patient");
      patient.addPart().setName("who").setValue(pc.patient().copy());
      patient.addPart().setName("count").setValue(new Integer64Type(pc.count()));
    }
    for (UserActivityReport.EventLine line : report.events()) {
      AuditEvent e = line.event();
      Parameters.ParametersParameterComponent event = p.addParameter().setName("event");
      event
          .addPart()
          .setName("event")
          .setValue(new Reference("AuditEvent/" + e.getIdElement().getIdPart()));
      event.addPart().setName("recorded").setValue(new InstantType(e.getRecorded()));
      if (e.hasAction()) {
        event.addPart().setName("action").setValue(new CodeType(e.getAction().toCode()));
      }
      e.getCategory()
          .forEach(
              c ->
                  c.getCoding()
                      .forEach(cd -> event.addPart().setName("category").setValue(cd.copy())));
      e.getCode().getCoding().forEach(cd -> event.addPart().setName("code").setValue(cd.copy()));
      if (e.hasOutcome() && e.getOutcome().hasCode()) {
        event.addPart().setName("outcome").setValue(e.getOutcome().getCode().copy());
      }
      line.patients().forEach(r -> event.addPart().setName("patient").setValue(r.copy()));
    }
    return p;
  }

  private static void counts(Parameters p, String name, List<UserActivityReport.Count> counts) {
    for (UserActivityReport.Count c : counts) {
      Parameters.ParametersParameterComponent part = p.addParameter().setName(name);
      part.addPart().setName("coding").setValue(c.coding().copy());
      part.addPart().setName("count").setValue(new Integer64Type(c.count()));
    }
  }

  /** One event's line of the CSV export. */
  static List<String> row(UserActivityReport.EventLine line) {
    AuditEvent e = line.event();
    List<Coding> categories =
        e.getCategory().stream().flatMap(c -> c.getCoding().stream()).toList();
    return List.of(
        e.getRecorded().toInstant().toString(),
        e.getIdElement().getIdPart(),
        e.hasAction() ? e.getAction().toCode() : "",
        categories.stream().map(AccessReportProvider::text).collect(Collectors.joining("; ")),
        e.getCode().getCoding().stream()
            .map(AccessReportProvider::text)
            .collect(Collectors.joining("; ")),
        e.hasOutcome() && e.getOutcome().hasCode()
            ? AccessReportProvider.text(e.getOutcome().getCode())
            : "",
        line.patients().stream().map(AccessReport::label).collect(Collectors.joining("; ")));
  }
}
