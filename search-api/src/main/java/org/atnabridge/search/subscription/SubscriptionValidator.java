package org.atnabridge.search.subscription;

import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.store.query.SearchParameters;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.OperationOutcome;
import org.hl7.fhir.r5.model.Subscription;
import org.hl7.fhir.r5.model.SubscriptionTopic;

/**
 * Checks a Subscription a client sends: the topic is a built-in one, every {@code filterBy} is in
 * the topic's {@code canFilterBy} (with a modifier the search takes for it) and reads as a search
 * parameter, the channel type is {@code rest-hook} (with an acceptable endpoint) or {@code
 * websocket} (no endpoint), the content is {@code empty}, {@code id-only} or {@code full-resource},
 * and a rest-hook endpoint is acceptable ({@link EndpointPolicy}). A refusal is 422 with an
 * OperationOutcome whose issue names the element ({@code expression}).
 */
public final class SubscriptionValidator {

  /** The R5 subscription-channel-type code of rest-hook. */
  public static final String REST_HOOK = "rest-hook";

  /** The R5 subscription-channel-type code of websocket ({@code /fhir/websocket}). */
  public static final String WEBSOCKET = "websocket";

  static final String CHANNEL_TYPE_SYSTEM =
      "http://terminology.hl7.org/CodeSystem/subscription-channel-type";

  private static final Set<String> CONTENTS = Set.of("empty", "id-only", "full-resource");
  private static final Set<String> CONTENT_TYPES =
      Set.of("application/fhir+json", "application/json", "application/fhir+xml");

  /** Headers the HTTP client sets itself (RFC 9110 connection and framing fields). */
  private static final Set<String> RESERVED_HEADERS =
      Set.of(
          "host",
          "connection",
          "content-length",
          "content-type",
          "expect",
          "upgrade",
          "transfer-encoding",
          "te",
          "trailer",
          "keep-alive",
          "proxy-connection");

  private final EndpointPolicy endpoints;

  public SubscriptionValidator(EndpointPolicy endpoints) {
    this.endpoints = endpoints;
  }

  /**
   * @throws UnprocessableEntityException naming the first element that is not acceptable
   */
  public void check(Subscription s) {
    if (!s.hasTopic()) {
      throw refused("Subscription.topic", "a topic is required");
    }
    Optional<SubscriptionTopic> topic = SubscriptionTopics.byUrl(s.getTopic());
    if (topic.isEmpty()) {
      throw refused(
          "Subscription.topic",
          "unknown topic " + s.getTopic() + "; GET [base]/SubscriptionTopic lists the topics");
    }
    checkFilters(s, topic.get());
    checkChannel(s);
    String content = s.getContentElement().getValueAsString();
    if (content != null && !CONTENTS.contains(content)) {
      throw refused("Subscription.content", "content must be empty, id-only or full-resource");
    }
    if (s.hasContentType() && !CONTENT_TYPES.contains(s.getContentType())) {
      throw refused(
          "Subscription.contentType",
          "content type must be application/fhir+json or application/fhir+xml");
    }
    if (s.hasHeartbeatPeriod() && s.getHeartbeatPeriod() < 1) {
      throw refused("Subscription.heartbeatPeriod", "heartbeatPeriod must be positive");
    }
    if (s.hasTimeout() && (s.getTimeout() < 1 || s.getTimeout() > 300)) {
      throw refused("Subscription.timeout", "timeout must be 1..300 seconds");
    }
    if (s.hasMaxCount() && s.getMaxCount() < 1) {
      throw refused("Subscription.maxCount", "maxCount must be positive");
    }
    for (int i = 0; i < s.getParameter().size(); i++) {
      Subscription.SubscriptionParameterComponent p = s.getParameter().get(i);
      if (!p.hasName() || !p.getName().matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
        throw refused(
            "Subscription.parameter[" + i + "].name", "parameter names are HTTP header names");
      }
      if (RESERVED_HEADERS.contains(p.getName().toLowerCase(java.util.Locale.ROOT))) {
        throw refused(
            "Subscription.parameter[" + i + "].name",
            p.getName() + " is set by the server for each notification");
      }
      if (p.getValue() == null || p.getValue().chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
        throw refused(
            "Subscription.parameter[" + i + "].value",
            "parameter values are HTTP header values without control characters");
      }
    }
  }

  private static void checkFilters(Subscription s, SubscriptionTopic topic) {
    List<Subscription.SubscriptionFilterByComponent> filters = s.getFilterBy();
    for (int i = 0; i < filters.size(); i++) {
      Subscription.SubscriptionFilterByComponent f = filters.get(i);
      String at = "Subscription.filterBy[" + i + "]";
      if (f.hasResourceType()
          && !f.getResourceType().equals("AuditEvent")
          && !f.getResourceType().endsWith("/AuditEvent")) {
        throw refused(at + ".resourceType", "the topics filter AuditEvents only");
      }
      String name = f.getFilterParameter();
      boolean offered =
          name != null
              && topic.getCanFilterBy().stream().anyMatch(c -> name.equals(c.getFilterParameter()));
      if (!offered) {
        throw refused(
            at + ".filterParameter",
            "filter "
                + name
                + " is not in the topic's canFilterBy "
                + SubscriptionTopics.FILTER_PARAMETERS);
      }
      if (f.hasComparator()) {
        throw refused(at + ".comparator", "no filter of this topic takes a comparator");
      }
      if (f.hasModifier()
          && !SubscriptionTopics.modifiers(name).contains(f.getModifier().toCode())) {
        throw refused(
            at + ".modifier",
            "filter " + name + " takes the modifiers " + SubscriptionTopics.modifiers(name));
      }
      if (!f.hasValue() || f.getValue().isBlank()) {
        throw refused(at + ".value", "a filter needs a value");
      }
      Subscription one = new Subscription();
      one.addFilterBy(f.copy());
      try {
        SearchParameters.fromQueryString(SubscriptionFilters.queryString(one));
      } catch (IllegalArgumentException e) {
        throw refused(at + ".value", "not a value of " + name + ": " + e.getMessage());
      }
    }
  }

  private void checkChannel(Subscription s) {
    Coding type = s.getChannelType();
    if (type == null || !type.hasCode()) {
      throw refused(
          "Subscription.channelType", "a channel type is required (rest-hook or websocket)");
    }
    if (type.hasSystem() && !CHANNEL_TYPE_SYSTEM.equals(type.getSystem())) {
      throw refused(
          "Subscription.channelType", "channel type system must be " + CHANNEL_TYPE_SYSTEM);
    }
    if (WEBSOCKET.equals(type.getCode())) {
      return; // the client connects to /fhir/websocket: no endpoint is called
    }
    if (!REST_HOOK.equals(type.getCode())) {
      throw refused("Subscription.channelType", "channel type must be rest-hook or websocket");
    }
    if (!s.hasEndpoint()) {
      throw refused("Subscription.endpoint", "a rest-hook subscription needs an endpoint");
    }
    endpoints
        .refusal(s.getEndpoint())
        .ifPresent(
            reason -> {
              throw refused("Subscription.endpoint", "endpoint not acceptable: " + reason);
            });
  }

  /** A 422 whose OperationOutcome names {@code expression}. */
  static UnprocessableEntityException refused(String expression, String message) {
    OperationOutcome outcome = new OperationOutcome();
    outcome
        .addIssue()
        .setSeverity(OperationOutcome.IssueSeverity.ERROR)
        .setCode(OperationOutcome.IssueType.INVALID)
        .setDiagnostics(expression + ": " + message)
        .addExpression(expression);
    return new UnprocessableEntityException(Fhir.context(), outcome);
  }
}
