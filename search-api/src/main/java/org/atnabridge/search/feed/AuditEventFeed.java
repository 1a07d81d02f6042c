package org.atnabridge.search.feed;

import java.util.List;
import org.hl7.fhir.r5.model.AuditEvent;

/** Where accepted AuditEvents go. Implementations are thread-safe. */
public interface AuditEventFeed extends AutoCloseable {

  /**
   * Makes the events durable, each keyed by its id, and returns only then.
   *
   * @throws FeedUnavailableException when they could not be made durable; nothing may be
   *     acknowledged to the client then
   */
  void publish(List<AuditEvent> events);

  @Override
  void close();
}
