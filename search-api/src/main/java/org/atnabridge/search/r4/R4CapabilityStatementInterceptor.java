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
import org.atnabridge.search.security.SmartCapabilityInterceptor;
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
 * searches here, {@code AuditEvent.patient}), the chained {@code .identifier} forms by their own
 * names, as BALP lists them; it instantiates BALP's Audit Record Repository statement; the security
 * is SMART on FHIR bearer tokens; create is withdrawn without a feed; {@code software.version} is
 * the product's or absent.
 */
@Interceptor
public final class R4CapabilityStatementInterceptor {

  /** IHE BALP 1.1.4's Audit Record Repository CapabilityStatement (ITI-20 create, ITI-81). */
  static final String BALP_ARR =
      "https://profiles.ihe.net/ITI/BALP/CapabilityStatement/IHE.BALP.ATNA.AuditRecordRepository";

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
    // what ITI-81 consumers look for: the BALP Audit Record Repository's statement
    cs.addInstantiates(BALP_ARR);
    if (softwareVersion == null) {
      cs.getSoftware().setVersionElement(null);
    } else {
      cs.getSoftware().setVersion(softwareVersion);
    }
    for (CapabilityStatementRestComponent rest : cs.getRest()) {
      rest.getSecurity()
          .addService(
              new CodeableConcept(
                  new Coding(
                      RESTFUL_SECURITY_SERVICE,
                      SmartCapabilityInterceptor.SERVICE_CODE,
                      SmartCapabilityInterceptor.SERVICE_DISPLAY)))
          .setDescription(SmartCapabilityInterceptor.DESCRIPTION);
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
      if (f.allows(SearchField.Modifier.IDENTIFIER)) {
        // the chained form by its own name, as the BALP ARR CapabilityStatement lists it
        params.add(
            new CapabilityStatementRestResourceSearchParamComponent()
                .setName(name + ".identifier")
                .setType(SearchParamType.TOKEN)
                .setDocumentation("The identifier of " + name + " (Reference.identifier)"));
      }
    }
    params.sort(Comparator.comparing(CapabilityStatementRestResourceSearchParamComponent::getName));
    resource.setSearchParam(params);
  }
}
