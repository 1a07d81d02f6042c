package org.atnabridge.streams.reference;

import org.atnabridge.schemas.Topic;
import org.hl7.fhir.r5.model.Resource;

/** One record for a reference topic. */
public record ReferenceRecord(Topic<String, Resource> topic, String key, Resource resource) {}
