package org.atnabridge.search.r4;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.util.List;
import org.atnabridge.schemas.vocab.CodeSystems;
import org.hl7.fhir.convertors.factory.VersionConvertorFactory_40_50;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Property;

/**
 * An R5 searchset page (links, total, the OperationOutcome of ignored parameters) in R4, each
 * AuditEvent as its {@link R4Projection}, and {@code _elements} applied to the R4 representation
 * (R4 element names: {@code type}, {@code subtype}, {@code purposeOfEvent}).
 */
final class R4Pages {

  private R4Pages() {}

  static Bundle searchset(org.hl7.fhir.r5.model.Bundle page, List<String> elements) {
    Bundle out = (Bundle) VersionConvertorFactory_40_50.convertResource(page.copy());
    for (int i = 0; i < page.getEntry().size(); i++) {
      if (page.getEntry().get(i).getResource() instanceof org.hl7.fhir.r5.model.AuditEvent e) {
        AuditEvent r4 = R4Projection.toR4(e);
        out.getEntry().get(i).setResource(elements.isEmpty() ? r4 : subset(r4, elements));
      }
    }
    return out;
  }

  /** Id, meta and the named top-level elements, tagged SUBSETTED as FHIR requires. */
  private static AuditEvent subset(AuditEvent e, List<String> elements) {
    AuditEvent copy = new AuditEvent();
    copy.setIdElement(e.getIdElement().copy());
    copy.setMeta(e.getMeta().copy());
    for (String name : elements) {
      Property p = e.getNamedProperty(name);
      if (p == null) {
        throw new InvalidRequestException("_elements: AuditEvent has no element '" + name + "'");
      }
      for (Base value : p.getValues()) {
        copy.setProperty(p.getName(), value.copy());
      }
    }
    copy.getMeta()
        .addTag(CodeSystems.V3_OBSERVATION_VALUE, "SUBSETTED", "Resource encoded in summary mode");
    return copy;
  }
}
