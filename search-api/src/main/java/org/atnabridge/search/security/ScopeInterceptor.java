package org.atnabridge.search.security;

import ca.uhn.fhir.interceptor.api.HookParams;
import ca.uhn.fhir.interceptor.api.IAnonymousInterceptor;
import ca.uhn.fhir.interceptor.api.IPointcut;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import org.jspecify.annotations.Nullable;

/**
 * Checks the caller's SMART scopes once HAPI knows the interaction, and records how far the
 * granting scope reaches for {@link SecuredAuditEventSearch}. AuditEvent read, search and the
 * operations that read AuditEvents ({@code AuditEvent/$verify}, {@code AuditEvent/$stats}, {@code
 * Patient/$access-report}, {@code $user-activity-report}) need AuditEvent {@code rs} ({@code
 * $verify} on {@code system/} or {@code user/}, never {@code patient/}); the FHIR Feed (create, and
 * batch/transaction Bundles of AuditEvents) needs {@code c}; Subscription interactions need their
 * own letter ({@code $status} and {@code $events} {@code rs}), and reading the SubscriptionTopics
 * needs Subscription {@code r} or {@code s}. Anything else is refused: a new endpoint is closed
 * until given a rule here. A refusal is 403 with {@code WWW-Authenticate: Bearer
 * error="insufficient_scope", scope="..."} naming the scopes that would have allowed the request,
 * any one of them (RFC 6750 §3); the reason is kept on the {@link RequestAccess} for the log line
 * and the Security Alert.
 *
 * <p>Registered as an anonymous hook on {@link Pointcut#SERVER_INCOMING_REQUEST_PRE_HANDLED}
 * ({@link #POINTCUT}): HAPI logs whatever an annotated hook throws at ERROR with its stack trace,
 * while a refusal is expected traffic, logged once at INFO by {@link AuthenticationFilter}.
 */
public final class ScopeInterceptor implements IAnonymousInterceptor {

  public static final Pointcut POINTCUT = Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED;

  @Override
  public void invoke(IPointcut pointcut, HookParams params) {
    check(params.get(RequestDetails.class), params.get(RestOperationTypeEnum.class));
  }

  public void check(RequestDetails request, RestOperationTypeEnum operation) {
    if (operation == RestOperationTypeEnum.METADATA) {
      return;
    }
    RequestAccess access = RequestAccess.current();
    Rule rule =
        switch (String.valueOf(request.getOperation())) {
          case "$access-report" ->
              new Rule("AuditEvent", "rs", true); // reads AuditEvents, nothing else
          // reads AuditEvents through the caller's view: a patient/ token gets its patient's events
          // only
          case "$user-activity-report" -> new Rule("AuditEvent", "rs", true);
          // gap ranges, sequence numbers and checkpoint counts describe the whole repository's
          // volume,
          // which is no one patient's business: system/ or user/ only
          case "$verify" -> new Rule("AuditEvent", "rs", false);
          default -> rule(request.getResourceName(), operation);
        };
    SmartScopes.Level level =
        access == null || rule == null
            ? SmartScopes.Level.NONE
            : access.caller().scopes().level(rule.type(), rule.letters());
    if (level == SmartScopes.Level.PATIENT && rule != null && !rule.patientAllowed()) {
      level = SmartScopes.Level.NONE;
    }
    if (access != null) {
      access.decide(level);
    }
    if (level == SmartScopes.Level.NONE) {
      String needed = rule == null ? null : rule.scopes();
      if (access != null) {
        access.deny(
            needed == null
                ? "no scope allows " + operation.getCode() + " on " + request.getResourceName()
                : "needs one of " + needed + ", has " + access.caller().scopes());
      }
      ForbiddenOperationException denied = new ForbiddenOperationException("insufficient scope");
      denied.addResponseHeader(
          "WWW-Authenticate",
          "Bearer realm=\""
              + AuthenticationFilter.REALM
              + "\", error=\"insufficient_scope\""
              + (needed == null ? "" : ", scope=\"" + needed + "\""));
      throw denied;
    }
  }

  private record Rule(String type, String letters, boolean patientAllowed) {

    /** The SMART v2 scopes that grant this rule, space-separated (RFC 6750 §3 {@code scope}). */
    String scopes() {
      String scope = type + "." + letters;
      return "system/" + scope + " user/" + scope + (patientAllowed ? " patient/" + scope : "");
    }
  }

  private static @Nullable Rule rule(@Nullable String resource, RestOperationTypeEnum operation) {
    String type = resource == null ? "AuditEvent" : resource; // POST /fhir: a Bundle for the feed
    if (type.equals("SubscriptionTopic")) {
      // the built-in topics: readable by whoever may read subscriptions
      return switch (operation) {
        case READ -> new Rule("Subscription", "r", true);
        case SEARCH_TYPE, GET_PAGE -> new Rule("Subscription", "s", true);
        default -> null;
      };
    }
    if (!type.equals("AuditEvent") && !type.equals("Subscription")) {
      return null;
    }
    return switch (operation) {
      case READ, VREAD -> new Rule(type, "r", true);
      case SEARCH_TYPE, GET_PAGE -> new Rule(type, "s", true);
      case EXTENDED_OPERATION_TYPE, EXTENDED_OPERATION_INSTANCE -> new Rule(type, "rs", true);
      // server-level operations ($stats, $access-report if declared so) read audit data too
      case EXTENDED_OPERATION_SERVER ->
          resource == null ? new Rule("AuditEvent", "rs", true) : null;
      // a patient-scoped app cannot write audit records about anyone: the feed needs user/system
      case CREATE -> new Rule(type, "c", type.equals("Subscription"));
      case TRANSACTION, BATCH -> resource == null ? new Rule("AuditEvent", "c", false) : null;
      case UPDATE, PATCH -> new Rule(type, "u", type.equals("Subscription"));
      case DELETE -> new Rule(type, "d", type.equals("Subscription"));
      default -> null;
    };
  }
}
