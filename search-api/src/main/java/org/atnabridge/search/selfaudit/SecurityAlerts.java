package org.atnabridge.search.selfaudit;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.atnabridge.search.feed.AuditEventFeed;
import org.atnabridge.search.feed.FeedIds;
import org.hl7.fhir.r5.model.AuditEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a Security Alert for every refused request to the feed ({@code audit.posted}). The request
 * is refused whether or not this succeeds; a failure is logged and counted.
 */
public final class SecurityAlerts {

  private static final Logger LOG = LoggerFactory.getLogger(SecurityAlerts.class);

  private final AuditEventFeed feed;
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();

  public SecurityAlerts(AuditEventFeed feed) {
    this.feed = feed;
  }

  public void record(SecurityAlertEvents.Denial denial) {
    record(denial, new RecordLabels());
  }

  /** With the patients and labels the refused request named or touched. */
  public void record(SecurityAlertEvents.Denial denial, RecordLabels inherited) {
    AuditEvent event = SecurityAlertEvents.of(denial);
    inherited.applyTo(event);
    event.setId(FeedIds.contentId(event));
    try {
      feed.publish(List.of(event));
      written.incrementAndGet();
    } catch (RuntimeException e) {
      failures.incrementAndGet();
      LOG.error(
          "security alert could not be written ({} {}): {}",
          denial.status(),
          ControlCharacters.escape(denial.reason()),
          e.toString());
    }
  }

  public long written() {
    return written.get();
  }

  public long failures() {
    return failures.get();
  }
}
