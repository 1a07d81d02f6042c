package org.atnabridge.store.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.atnabridge.store.Aggregation;

/**
 * Start of the UTC calendar interval holding an instant, as Elasticsearch's calendar_interval
 * computes it.
 */
public final class DateBuckets {

  private static final long HOUR = 3_600_000L;
  private static final long DAY = 24 * HOUR;

  private DateBuckets() {}

  public static long start(long millis, Aggregation.Interval interval) {
    return switch (interval) {
      case HOUR -> Math.floorDiv(millis, HOUR) * HOUR;
      case DAY -> Math.floorDiv(millis, DAY) * DAY;
      case WEEK -> {
        long day = Math.floorDiv(millis, DAY);
        long monday = day - Math.floorMod(day + 3, 7); // 1970-01-01 was a Thursday
        yield monday * DAY;
      }
      case MONTH -> {
        LocalDate d = LocalDate.ofEpochDay(Math.floorDiv(millis, DAY)).withDayOfMonth(1);
        yield d.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
      }
    };
  }

  public static String key(long startMillis) {
    return Instant.ofEpochMilli(startMillis).toString();
  }
}
