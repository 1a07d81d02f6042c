package org.atnabridge.search.subscription;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import org.atnabridge.schemas.subscription.BuiltInTopics;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r5.model.CanonicalType;
import org.hl7.fhir.r5.model.CapabilityStatement;
import org.hl7.fhir.r5.model.UriType;

/**
 * States in {@code /metadata} which topics a Subscription may name: each built-in topic's canonical
 * URL on the Subscription resource entry (the extension the Subscriptions Backport IG defines for
 * it, {@value #TOPIC_CANONICAL}), and the websocket channel: its URL on {@code rest} (the core
 * extension {@value #WEBSOCKET}) and the R5 definition of {@code $get-ws-binding-token}.
 */
@Interceptor
public final class SubscriptionCapabilityInterceptor {

  static final String TOPIC_CANONICAL =
      "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/capabilitystatement-subscriptiontopic-canonical";

  /** The core extension naming the server's websocket endpoint. */
  static final String WEBSOCKET =
      "http://hl7.org/fhir/StructureDefinition/capabilitystatement-websocket";

  /** The R5 operation's definition. */
  static final String GET_WS_BINDING_TOKEN =
      "http://hl7.org/fhir/OperationDefinition/Subscription-get-ws-binding-token";

  @Hook(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
  public void declareTopics(IBaseConformance statement, RequestDetails request) {
    if (!(statement instanceof CapabilityStatement cs)) {
      return;
    }
    for (CapabilityStatement.CapabilityStatementRestComponent rest : cs.getRest()) {
      rest.getExtension().removeIf(e -> WEBSOCKET.equals(e.getUrl()));
      rest.addExtension(
          WEBSOCKET,
          new UriType(SubscriptionResourceProvider.webSocketUrl(request.getFhirServerBase())));
      for (CapabilityStatement.CapabilityStatementRestResourceComponent r : rest.getResource()) {
        if (r.getType().equals("Subscription")) {
          r.getExtension().removeIf(e -> TOPIC_CANONICAL.equals(e.getUrl()));
          for (String url : BuiltInTopics.ALL) {
            r.addExtension(TOPIC_CANONICAL, new CanonicalType(url));
          }
          for (CapabilityStatement.CapabilityStatementRestResourceOperationComponent op :
              r.getOperation()) {
            if (op.getName().endsWith("get-ws-binding-token")) {
              op.setDefinition(GET_WS_BINDING_TOKEN);
            }
          }
        }
      }
    }
  }
}
