package org.atnabridge.search.subscription;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import org.atnabridge.schemas.subscription.BuiltInTopics;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r5.model.CanonicalType;
import org.hl7.fhir.r5.model.CapabilityStatement;

/**
 * States in {@code /metadata} which topics a Subscription may name: each built-in topic's canonical
 * URL on the Subscription resource entry (the extension the Subscriptions Backport IG defines for
 * it, {@value #TOPIC_CANONICAL}).
 */
@Interceptor
public final class SubscriptionCapabilityInterceptor {

  static final String TOPIC_CANONICAL =
      "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/capabilitystatement-subscriptiontopic-canonical";

  @Hook(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
  public void declareTopics(IBaseConformance statement) {
    if (!(statement instanceof CapabilityStatement cs)) {
      return;
    }
    for (CapabilityStatement.CapabilityStatementRestComponent rest : cs.getRest()) {
      for (CapabilityStatement.CapabilityStatementRestResourceComponent r : rest.getResource()) {
        if (r.getType().equals("Subscription")) {
          r.getExtension().removeIf(e -> TOPIC_CANONICAL.equals(e.getUrl()));
          for (String url : BuiltInTopics.ALL) {
            r.addExtension(TOPIC_CANONICAL, new CanonicalType(url));
          }
        }
      }
    }
  }
}
