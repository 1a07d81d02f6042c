package org.atnabridge.search;

import ca.uhn.fhir.context.RuntimeSearchParam;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.store.SearchField;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r5.model.CapabilityStatement;
import org.hl7.fhir.r5.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r5.model.CapabilityStatement.CapabilityStatementRestResourceSearchParamComponent;
import org.hl7.fhir.r5.model.CapabilityStatement.TypeRestfulInteraction;
import org.hl7.fhir.r5.model.Enumerations.SearchParamType;

/**
 * Makes {@code GET [base]/metadata} declare exactly what this server answers. The AuditEvent search
 * parameters are the FHIR rows of the parameter table ({@link SearchField}: each name and alias
 * with the row's type, documented as the R5 definition of that name documents it), beside the
 * free-text and paging parameters HAPI derives from the provider. The create method is always there
 * but answers 405 when the server has no feed (a read-only replica), so it is withdrawn from the
 * statement then. {@code software.version} is the product's version when configured, otherwise
 * absent: never HAPI's, which would name the library rather than the product.
 */
@Interceptor
public final class CapabilityStatementInterceptor {

  private final boolean feedConfigured;
  private final @org.jspecify.annotations.Nullable String softwareVersion;

  public CapabilityStatementInterceptor(boolean feedConfigured) {
    this(feedConfigured, null);
  }

  /**
   * @param softwareVersion stated as {@code software.version}; null states none
   */
  public CapabilityStatementInterceptor(
      boolean feedConfigured, @org.jspecify.annotations.Nullable String softwareVersion) {
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
    for (CapabilityStatement.CapabilityStatementRestComponent rest : cs.getRest()) {
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

  /** The table's parameters replace HAPI's entries of the same names; the others stay; by name. */
  private static void declareSearchParameters(CapabilityStatementRestResourceComponent resource) {
    List<CapabilityStatementRestResourceSearchParamComponent> params = new ArrayList<>();
    for (CapabilityStatementRestResourceSearchParamComponent p : resource.getSearchParam()) {
      if (SearchField.fhirParameter(p.getName()).isEmpty()) {
        params.add(p);
      }
    }
    var definition = Fhir.context().getResourceDefinition("AuditEvent");
    for (SearchField f : SearchField.fhirParameters()) {
      for (String name : f.names()) {
        var p =
            new CapabilityStatementRestResourceSearchParamComponent()
                .setName(name)
                .setType(SearchParamType.fromCode(f.type().name().toLowerCase(Locale.ROOT)));
        RuntimeSearchParam r5 = definition.getSearchParam(name);
        if (r5 != null && r5.getDescription() != null && !r5.getDescription().isEmpty()) {
          p.setDocumentation(r5.getDescription());
        }
        params.add(p);
      }
    }
    params.sort(Comparator.comparing(CapabilityStatementRestResourceSearchParamComponent::getName));
    resource.setSearchParam(params);
  }
}
