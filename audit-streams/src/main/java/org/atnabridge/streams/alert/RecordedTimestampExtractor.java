package org.atnabridge.streams.alert;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;
import org.hl7.fhir.r5.model.AuditEvent;

/**
 * Event time of the alert engine: {@code AuditEvent.recorded} (FHIR R5: when the event was recorded
 * by the source), so windows count events when they happened, not when they arrived. A record
 * without it (not an AuditEvent, or no {@code recorded}) keeps the record timestamp, and a record
 * without either the partition time.
 */
public final class RecordedTimestampExtractor implements TimestampExtractor {

  @Override
  public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
    if (record.value() instanceof AuditEvent e && e.hasRecorded()) {
      return e.getRecorded().getTime();
    }
    return record.timestamp() >= 0 ? record.timestamp() : Math.max(partitionTime, 0);
  }
}
