package org.atnabridge.search.r4;

import static org.atnabridge.schemas.vocab.CodeSystems.RESTFUL_SECURITY_SERVICE;

import ca.uhn.fhir.context.RuntimeSearchParam;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.atnabridge.store.SearchField;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceSearchParamComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.TypeRestfulInteraction;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Enumerations.SearchParamType;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /fhir/R4/metadata}: what the R4 base answers, as the R5 base's statement says it for
 * R5. The AuditEvent search parameters are {@link R4SearchParameters#NAMES} with the type of their
 * row of the parameter table, documented by their R4 definition ({@code patient} by what it
 * searches here, {@code AuditEvent.patient}); the security is SMART on FHIR bearer tokens; create
 * is withdrawn without a feed; {@code software.version} is the product's or absent.
 */
@Interceptor
public final class R4CapabilityStatementInterceptor {

  private final boolean feedConfigured;
  private final @Nullable String softwareVersion;

  public R4CapabilityStatementInterceptor(
      boolean feedConfigured, @Nullable String softwareVersion) {
    this.feedConfigured = feedConfigured;
    this.softwareVersion = softwareVersion;
  }

  @Hook(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
  public void declareWhatWorks(IBaseConformance statement) {
    if (!(statement instanceof CapabilityStatement cs)) {
      return;
    }
    if (softwareVersion == null) {
      cs.getSoftware().setVersionElement(null);
    } else {
      cs.getSoftware().setVersion(softwareVersion);
    }
    for (CapabilityStatementRestComponent rest : cs.getRest()) {
      rest.getSecurity()
          .addService(
              new CodeableConcept(
                  new Coding(RESTFUL_SECURITY_SERVICE, "SMART-on-FHIR", "SMART on FHIR")))
          .setDescription(
              "OAuth2 bearer tokens (JWT) with SMART App Launch v2 scopes on AuditEvent; "
                  + "v1 scopes (.read/.write) are accepted");
      for (CapabilityStatementRestResourceComponent resource : rest.getResource()) {
        if (resource.getType().equals("AuditEvent")) {
          declareSearchParameters(resource);
          if (!feedConfigured) {
            resource.getInteraction().removeIf(i -> i.getCode() == TypeRestfulInteraction.CREATE);
            resource.setConditionalCreateElement(null);
          }
        }
      }
    }
  }

  private static void declareSearchParameters(CapabilityStatementRestResourceComponent resource) {
    List<CapabilityStatementRestResourceSearchParamComponent> params = new ArrayList<>();
    for (CapabilityStatementRestResourceSearchParamComponent p : resource.getSearchParam()) {
      if (SearchField.fhirParameter(p.getName()).isEmpty()) {
        params.add(p); // _cursor and what HAPI derives from the method
      }
    }
    var definition = R4SearchParameters.R4.getResourceDefinition("AuditEvent");
    for (String name : R4SearchParameters.NAMES) {
      SearchField f = SearchField.fhirParameter(name).orElseThrow();
      var p =
          new CapabilityStatementRestResourceSearchParamComponent()
              .setName(name)
              .setType(SearchParamType.fromCode(f.type().name().toLowerCase(Locale.ROOT)));
      RuntimeSearchParam r4 = definition.getSearchParam(name);
      if (f == SearchField.PATIENT) {
        p.setDocumentation("The patient the event is about (AuditEvent.patient in R5 terms)");
      } else if (r4 != null && r4.getDescription() != null && !r4.getDescription().isEmpty()) {
        p.setDocumentation(r4.getDescription());
      }
      params.add(p);
    }
    params.sort(Comparator.comparing(CapabilityStatementRestResourceSearchParamComponent::getName));
    resource.setSearchParam(params);
  }
}
