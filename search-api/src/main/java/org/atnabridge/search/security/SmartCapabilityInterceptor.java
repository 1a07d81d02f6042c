package org.atnabridge.search.security;

import static org.atnabridge.schemas.vocab.CodeSystems.RESTFUL_SECURITY_SERVICE;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r5.model.CapabilityStatement;
import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.Coding;

/**
 * Says in the (public) CapabilityStatement that the API is protected with SMART on FHIR bearer
 * tokens.
 */
@Interceptor
public final class SmartCapabilityInterceptor {

  /** The {@code rest.security.service} code (FHIR restful-security-service) both bases state. */
  public static final String SERVICE_CODE = "SMART-on-FHIR";

  public static final String SERVICE_DISPLAY = "SMART on FHIR";

  /** The {@code rest.security.description} both bases state. */
  public static final String DESCRIPTION =
      "OAuth2 bearer tokens (JWT) with SMART App Launch v2 scopes on AuditEvent; "
          + "v1 scopes (.read/.write) are accepted";

  @Hook(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
  public void describe(IBaseConformance capability) {
    if (capability instanceof CapabilityStatement cs) {
      for (CapabilityStatement.CapabilityStatementRestComponent rest : cs.getRest()) {
        rest.getSecurity()
            .addService(
                new CodeableConcept(
                    new Coding(RESTFUL_SECURITY_SERVICE, SERVICE_CODE, SERVICE_DISPLAY)))
            .setDescription(DESCRIPTION);
      }
    }
  }
}
