package org.atnabridge.store.query;

import ca.uhn.fhir.rest.param.DateParam;
import ca.uhn.fhir.rest.param.ParamPrefixEnum;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.time.Instant;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Date search values as half-open ranges (R5 search §3.2.1.5.7). */
final class DateRanges {

  private static final Set<ParamPrefixEnum> UNSUPPORTED_DATE_PREFIXES =
      Set.of(ParamPrefixEnum.APPROXIMATE);

  private DateRanges() {}

  /**
   * The range a date value stands for, ignoring its prefix: [value, value + 1 unit of precision).
   */
  static Range span(String name, DateParam param) {
    if (param.getValue() == null || param.getPrecision() == null) {
      throw new InvalidRequestException(
          name + " needs a value such as 2026-01-05 or 2026-01-05T10:00:00Z");
    }
    return new Range(
        param.getValue().toInstant(), param.getPrecision().add(param.getValue(), 1).toInstant());
  }

  record Range(@Nullable Instant from, @Nullable Instant to) {}

  /**
   * One date value as [from, to). The value covers [start, start + 1 unit of its precision): {@code
   * eq} keeps that range, {@code ge}/{@code gt}/{@code sa} bound it below at its start/end, {@code
   * le}/{@code lt}/{@code eb} bound it above at its end/start (R5 search §3.2.1.5.7).
   */
  static Range range(String name, DateParam param) {
    ParamPrefixEnum prefix = param.getPrefix() == null ? ParamPrefixEnum.EQUAL : param.getPrefix();
    if (UNSUPPORTED_DATE_PREFIXES.contains(prefix)) {
      throw new InvalidRequestException(
          name + " prefix '" + prefix.getValue() + "' is not supported");
    }
    Range span = span(name, param);
    Instant start = span.from();
    Instant end = span.to();
    return switch (prefix) {
      case EQUAL -> new Range(start, end);
      case GREATERTHAN_OR_EQUALS -> new Range(start, null);
      case GREATERTHAN, STARTS_AFTER -> new Range(end, null);
      case LESSTHAN_OR_EQUALS -> new Range(null, end);
      case LESSTHAN, ENDS_BEFORE -> new Range(null, start);
      default ->
          throw new InvalidRequestException(
              name + " prefix '" + prefix.getValue() + "' is not supported");
    };
  }
}
