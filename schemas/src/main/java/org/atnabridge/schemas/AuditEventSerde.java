package org.atnabridge.schemas;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.hl7.fhir.r5.model.AuditEvent;

/** FHIR R5 AuditEvent as compact JSON (UTF-8), the value format of the audit topics. */
public final class AuditEventSerde implements Serde<AuditEvent> {

  @Override
  public Serializer<AuditEvent> serializer() {
    return (topic, event) -> event == null ? null : Fhir.toJsonBytes(event);
  }

  @Override
  public Deserializer<AuditEvent> deserializer() {
    return (topic, bytes) -> {
      if (bytes == null) {
        return null;
      }
      try {
        return Fhir.auditEventFromJson(new String(bytes, StandardCharsets.UTF_8));
      } catch (RuntimeException e) {
        throw new SerializationException("not a FHIR R5 AuditEvent: " + e.getMessage(), e);
      }
    };
  }
}
