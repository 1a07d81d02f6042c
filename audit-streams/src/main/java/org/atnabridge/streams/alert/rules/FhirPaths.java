package org.atnabridge.streams.alert.rules;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import java.util.List;
import org.atnabridge.schemas.Fhir;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r5.fhirpath.ExpressionNode;
import org.hl7.fhir.r5.fhirpath.FHIRPathEngine;
import org.hl7.fhir.r5.hapi.ctx.HapiWorkerContext;
import org.hl7.fhir.r5.model.Base;

/**
 * HAPI's R5 FHIRPath engine over the shared FHIR context. An expression is parsed once, at load (a
 * bad one is a load error); the parsed tree is evaluated many times. The engine keeps state while
 * it evaluates, so each thread has its own; the worker context is shared.
 */
final class FhirPaths {

  private FhirPaths() {}

  private static final class Holder {
    /**
     * No conformance resources: expressions are evaluated on instances, not type-checked against
     * profiles, and the context's default support would need the validation module.
     */
    static final HapiWorkerContext WORKER =
        new HapiWorkerContext(
            Fhir.context(),
            new IValidationSupport() {
              @Override
              public FhirContext getFhirContext() {
                return Fhir.context();
              }

              @Override
              public List<IBaseResource> fetchAllConformanceResources() {
                return List.of();
              }

              @Override
              public <T extends IBaseResource> List<T> fetchAllStructureDefinitions() {
                return List.of();
              }

              @Override
              public <T extends IBaseResource> List<T> fetchAllNonBaseStructureDefinitions() {
                return List.of();
              }

              @Override
              public <T extends IBaseResource> List<T> fetchAllSearchParameters() {
                return List.of();
              }
            });

    static final ThreadLocal<FHIRPathEngine> ENGINES =
        ThreadLocal.withInitial(() -> new FHIRPathEngine(WORKER));
  }

  /**
   * @throws IllegalArgumentException with the engine's reason when the expression is not FHIRPath
   */
  static ExpressionNode parse(String expression) {
    try {
      return Holder.ENGINES.get().parse(expression);
    } catch (RuntimeException e) { // FHIRLexerException, FHIRException
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  static List<Base> evaluate(Base base, ExpressionNode expression) {
    return Holder.ENGINES.get().evaluate(base, expression);
  }
}
