package org.atnabridge.schemas;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Resource;

/**
 * The one FHIR R5 context per JVM. Creating a {@link FhirContext} scans the model and costs
 * seconds, so every module shares this instance. Parsers are cheap and not thread-safe: take a new
 * one per use.
 *
 * <p>{@link #toJson} / {@link #toJsonBytes} — the project's one serialization path (Kafka serde,
 * store documents, chain hashing) — use {@link FhirJsonWriter}, which gives HAPI's exact bytes
 * several times faster; resources it cannot prove byte-identical for (contained resources,
 * narrative, non-bare ids) go through HAPI's {@link #jsonParser()}, which stays available.
 */
public final class Fhir {

  private static final ThreadLocal<FhirJsonWriter> WRITERS =
      ThreadLocal.withInitial(FhirJsonWriter::new);

  private Fhir() {}

  public static FhirContext context() {
    return FhirContext.forR5Cached();
  }

  /** HAPI's reflective JSON parser (compact): a new one per call. */
  public static IParser jsonParser() {
    return context().newJsonParser().setPrettyPrint(false);
  }

  /** Compact JSON, byte for byte what {@link #jsonParser()} would encode. */
  public static String toJson(AuditEvent event) {
    return toJson((Resource) event);
  }

  /** Compact JSON, byte for byte what {@link #jsonParser()} would encode. */
  public static String toJson(Resource resource) {
    return FhirJsonWriter.sameBytesAsHapi(resource)
        ? WRITERS.get().write(resource)
        : jsonParser().encodeResourceToString(resource);
  }

  /** {@link #toJson} as UTF-8, without the intermediate String. */
  public static byte[] toJsonBytes(Resource resource) {
    return FhirJsonWriter.sameBytesAsHapi(resource)
        ? WRITERS.get().writeBytes(resource)
        : jsonParser()
            .encodeResourceToString(resource)
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  public static AuditEvent auditEventFromJson(String json) {
    return jsonParser().parseResource(AuditEvent.class, json);
  }
}
