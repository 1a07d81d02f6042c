package org.atnabridge.schemas;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import org.hl7.fhir.r5.model.AuditEvent;

/**
 * The one FHIR R5 context per JVM. Creating a {@link FhirContext} scans the model and costs
 * seconds (infra-recipes §4), so every module shares this instance. Parsers are cheap and not
 * thread-safe: take a new one per use.
 */
public final class Fhir {

  private Fhir() {}

  public static FhirContext context() {
    return FhirContext.forR5Cached();
  }

  public static IParser jsonParser() {
    return context().newJsonParser().setPrettyPrint(false);
  }

  public static String toJson(AuditEvent event) {
    return jsonParser().encodeResourceToString(event);
  }

  public static AuditEvent auditEventFromJson(String json) {
    return jsonParser().parseResource(AuditEvent.class, json);
  }
}
