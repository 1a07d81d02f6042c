package org.atnabridge.schemas;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.hl7.fhir.r5.model.Resource;

/**
 * Any FHIR R5 resource as compact JSON (UTF-8): the value format of the reference topics
 * (Practitioner, PractitionerRole, Organization, Patient, Device). A null value is a tombstone.
 */
public final class ResourceSerde implements Serde<Resource> {

  @Override
  public Serializer<Resource> serializer() {
    return (topic, resource) ->
        resource == null
            ? null
            : Fhir.jsonParser().encodeResourceToString(resource).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public Deserializer<Resource> deserializer() {
    return (topic, bytes) -> {
      if (bytes == null) {
        return null;
      }
      try {
        return (Resource)
            Fhir.jsonParser().parseResource(new String(bytes, StandardCharsets.UTF_8));
      } catch (RuntimeException e) {
        throw new SerializationException("not a FHIR R5 resource: " + e.getMessage(), e);
      }
    };
  }
}
