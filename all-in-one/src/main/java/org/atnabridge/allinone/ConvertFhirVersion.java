package org.atnabridge.allinone;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.util.function.Function;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.search.r4.R4Projection;
import org.hl7.fhir.r5.model.AuditEvent;

/**
 * The FHIR version {@code convert --fhir-version} writes: R5, the AuditEvent as the pipeline stores
 * it, or R4, its projection as the R4 base serves it (ITI-81 on R4, IHE BALP 1.1.4).
 */
enum ConvertFhirVersion {
  R4,
  R5;

  /** One AuditEvent as JSON in this version ({@code pretty}: indented, else one line). */
  Function<AuditEvent, String> encoder(boolean pretty) {
    return switch (this) {
      case R5 -> {
        IParser parser = Fhir.context().newJsonParser().setPrettyPrint(pretty);
        yield parser::encodeResourceToString;
      }
      case R4 -> {
        IParser parser = FhirContext.forR4Cached().newJsonParser().setPrettyPrint(pretty);
        yield e -> parser.encodeResourceToString(R4Projection.toR4(e));
      }
    };
  }
}
