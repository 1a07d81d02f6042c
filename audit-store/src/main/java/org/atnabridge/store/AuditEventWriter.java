package org.atnabridge.store;

import java.util.List;
import org.hl7.fhir.r5.model.AuditEvent;

/** The write side of a store. */
public interface AuditEventWriter {

  /**
   * Stores the events, each under its resource id ({@code AuditEvent.id}, which must be set):
   * writing an id again replaces the earlier document, so redelivery never duplicates.
   * When this returns the events are durable (they survive a process crash) and visible to
   * {@link AuditEventSearch} within the engine's refresh interval (at most 1 s).
   *
   * @throws StoreException when the batch could not be stored; nothing is acknowledged then
   */
  void write(List<AuditEvent> events);
}
