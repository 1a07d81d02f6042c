package org.atnabridge.schemas;

import org.atnabridge.schemas.vocab.Extensions;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Extension;
import org.hl7.fhir.r5.model.IntegerType;
import org.hl7.fhir.r5.model.StringType;
import org.jspecify.annotations.Nullable;

/**
 * Where an AuditEvent came from in Kafka: the raw record's topic, partition and offset, kept as an
 * extension so that an officer can always get back to the bytes as received.
 *
 * <p>Extension {@value Extensions#RAW_RECORD} with sub-extensions {@code topic} (string), {@code
 * partition} (integer) and {@code offset} (string: offsets exceed FHIR integer).
 */
public record RawRecordReference(String topic, int partition, long offset) {

  public static RawRecordReference of(String topic, int partition, long offset) {
    return new RawRecordReference(topic, partition, offset);
  }

  /** Sets (replaces) the extension on the event. */
  public void applyTo(AuditEvent event) {
    event.getExtension().removeIf(e -> Extensions.RAW_RECORD.equals(e.getUrl()));
    Extension ext = event.addExtension().setUrl(Extensions.RAW_RECORD);
    ext.addExtension("topic", new StringType(topic));
    ext.addExtension("partition", new IntegerType(partition));
    ext.addExtension("offset", new StringType(Long.toString(offset)));
  }

  public static @Nullable RawRecordReference from(AuditEvent event) {
    Extension ext = event.getExtensionByUrl(Extensions.RAW_RECORD);
    if (ext == null) {
      return null;
    }
    try {
      return new RawRecordReference(
          ext.getExtensionString("topic"),
          Integer.parseInt(ext.getExtensionString("partition")),
          Long.parseLong(ext.getExtensionString("offset")));
    } catch (RuntimeException e) {
      return null;
    }
  }
}
