package org.atnabridge.search.report;

import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.time.Instant;
import java.util.Date;
import java.util.Locale;
import java.util.Set;
import org.atnabridge.store.Aggregation;
import org.atnabridge.store.AuditEventSearch;
import org.atnabridge.store.AuditPage;
import org.atnabridge.store.AuditQuery;
import org.atnabridge.store.SearchField;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.CodeType;
import org.hl7.fhir.r5.model.InstantType;
import org.hl7.fhir.r5.model.Integer64Type;
import org.hl7.fhir.r5.model.Parameters;
import org.hl7.fhir.r5.model.StringType;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /fhir/AuditEvent/$stats?<search filters>&field=&top=&interval=}: counts for dashboards
 * over the events the filters match (any AuditEvent search parameter, as in a search), computed by
 * the store's aggregations, never by reading events:
 *
 * <ul>
 *   <li>{@code field} (optional): a search parameter name ({@code agent}, {@code action}, {@code
 *       outcome}, {@code code}, {@code patient}, {@code source}, ...) whose {@code top} most
 *       frequent values are counted ({@code top} 1..1000, default {@value #DEFAULT_TOP});
 *   <li>{@code interval}: {@code hour}, {@code day} (default), {@code week} or {@code month}, the
 *       UTC calendar buckets of the date histogram over {@code AuditEvent.recorded}.
 * </ul>
 *
 * Answer: Parameters with {@code total} (integer64), {@code field} (string) and one {@code term}
 * per value (parts {@code value} string, {@code count} integer64, most frequent first), {@code
 * interval} (code) and one {@code bucket} per non-empty interval (parts {@code start} instant,
 * {@code count} integer64, oldest first).
 */
public final class AuditStatsProvider {

  static final int DEFAULT_TOP = 10;
  private static final Set<String> OWN = Set.of("field", "top", "interval");

  private final AuditEventSearch search;

  public AuditStatsProvider(AuditEventSearch search) {
    this.search = search;
  }

  @Operation(name = "$stats", type = AuditEvent.class, idempotent = true)
  public Parameters stats(
      @OperationParam(name = "field") @Nullable StringType field,
      @OperationParam(name = "top") @Nullable StringType top,
      @OperationParam(name = "interval") @Nullable CodeType interval,
      RequestDetails request) {
    if (request.getRequestType() != RequestTypeEnum.GET) {
      // the filters are read from the URL; a POSTed Parameters body would be counted unfiltered
      throw new InvalidRequestException("$stats takes GET with the search filters in the URL");
    }
    Aggregation.Interval histogramInterval = interval(interval);
    int size = top(top);
    AuditQuery.Builder query = SearchParameterQuery.from(request.getParameters(), OWN).limit(0);
    query.aggregate(
        new Aggregation.DateHistogram("histogram", SearchField.DATE, histogramInterval));
    SearchField terms = null;
    if (field != null && field.hasValue()) {
      terms =
          SearchField.byCode(field.getValue())
              .orElseThrow(
                  () ->
                      new InvalidRequestException(
                          "field " + field.getValue() + " is not an AuditEvent search parameter"));
      if (terms.type() == SearchField.Type.DATE) {
        throw new InvalidRequestException(
            "field " + field.getValue() + " is a date: use interval for date counts");
      }
      query.aggregate(new Aggregation.Terms("terms", terms, size));
    }
    AuditPage page;
    try {
      page = search.search(query.build());
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(e.getMessage());
    }
    Parameters p = new Parameters();
    p.addParameter().setName("total").setValue(new Integer64Type(page.total()));
    if (terms != null && field != null) {
      p.addParameter().setName("field").setValue(new StringType(field.getValue()));
      for (Aggregation.Bucket b : page.buckets("terms")) {
        Parameters.ParametersParameterComponent term = p.addParameter().setName("term");
        term.addPart().setName("value").setValue(new StringType(b.key()));
        term.addPart().setName("count").setValue(new Integer64Type(b.count()));
      }
    }
    p.addParameter()
        .setName("interval")
        .setValue(new CodeType(histogramInterval.name().toLowerCase(Locale.ROOT)));
    for (Aggregation.Bucket b : page.buckets("histogram")) {
      Parameters.ParametersParameterComponent bucket = p.addParameter().setName("bucket");
      bucket
          .addPart()
          .setName("start")
          .setValue(new InstantType(Date.from(Instant.parse(b.key()))));
      bucket.addPart().setName("count").setValue(new Integer64Type(b.count()));
    }
    return p;
  }

  private static Aggregation.Interval interval(@Nullable CodeType interval) {
    if (interval == null || !interval.hasValue()) {
      return Aggregation.Interval.DAY;
    }
    return switch (interval.getValue()) {
      case "hour" -> Aggregation.Interval.HOUR;
      case "day" -> Aggregation.Interval.DAY;
      case "week" -> Aggregation.Interval.WEEK;
      case "month" -> Aggregation.Interval.MONTH;
      default ->
          throw new InvalidRequestException(
              "interval must be hour, day, week or month, not " + interval.getValue());
    };
  }

  /** Parsed here, not by HAPI, whose integer binding answers a bad value with 500. */
  private static int top(@Nullable StringType top) {
    if (top == null || top.getValue() == null) {
      return DEFAULT_TOP;
    }
    int n;
    try {
      n = Integer.parseInt(top.getValue().trim());
    } catch (NumberFormatException e) {
      n = 0;
    }
    if (n < 1 || n > 1000) {
      throw new InvalidRequestException("top must be 1..1000, not " + top.getValue());
    }
    return n;
  }
}
