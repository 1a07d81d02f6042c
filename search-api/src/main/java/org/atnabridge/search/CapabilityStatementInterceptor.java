package org.atnabridge.search;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r5.model.CapabilityStatement;
import org.hl7.fhir.r5.model.CapabilityStatement.TypeRestfulInteraction;

/**
 * Makes {@code GET [base]/metadata} declare exactly what this server answers. HAPI derives the
 * statement from the provider's annotated methods; the create method is always there but answers
 * 405 when the server has no feed (a read-only replica), so it is withdrawn from the statement
 * then.
 */
@Interceptor
public final class CapabilityStatementInterceptor {

  private final boolean feedConfigured;

  public CapabilityStatementInterceptor(boolean feedConfigured) {
    this.feedConfigured = feedConfigured;
  }

  @Hook(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
  public void declareWhatWorks(IBaseConformance statement) {
    if (feedConfigured || !(statement instanceof CapabilityStatement cs)) {
      return;
    }
    for (CapabilityStatement.CapabilityStatementRestComponent rest : cs.getRest()) {
      for (CapabilityStatement.CapabilityStatementRestResourceComponent resource : rest.getResource()) {
        if (resource.getType().equals("AuditEvent")) {
          resource.getInteraction().removeIf(i -> i.getCode() == TypeRestfulInteraction.CREATE);
          resource.setConditionalCreateElement(null);
        }
      }
    }
  }
}
