package org.atnabridge.search.security;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import org.jspecify.annotations.Nullable;

/**
 * Checks the caller's SMART scopes once HAPI knows the interaction, and records how far the
 * granting scope reaches for {@link SecuredAuditEventSearch}. AuditEvent read, search and the
 * operations that read AuditEvents ({@code AuditEvent/$verify}, {@code AuditEvent/$stats},
 * {@code Patient/$access-report}, {@code $user-activity-report}) need AuditEvent {@code rs} ({@code $verify} on {@code system/} or
 * {@code user/}, never {@code patient/}); the FHIR Feed (create,
 * and batch/transaction Bundles of AuditEvents) needs {@code c}; Subscription interactions need
 * their own letter. Anything else is refused: a new endpoint is closed until given a rule here.
 * A refusal is 403 with {@code WWW-Authenticate: Bearer error="insufficient_scope"} (RFC 6750).
 */
@Interceptor
public final class ScopeInterceptor {

  @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
  public void check(RequestDetails request, RestOperationTypeEnum operation) {
    if (operation == RestOperationTypeEnum.METADATA) {
      return;
    }
    RequestAccess access = RequestAccess.current();
    Rule rule = switch (String.valueOf(request.getOperation())) {
      case "$access-report" -> new Rule("AuditEvent", "rs", true); // reads AuditEvents, nothing else
      // reads AuditEvents through the caller's view: a patient/ token gets its patient's events only
      case "$user-activity-report" -> new Rule("AuditEvent", "rs", true);
      // gap ranges, sequence numbers and checkpoint counts describe the whole repository's volume,
      // which is no one patient's business: system/ or user/ only
      case "$verify" -> new Rule("AuditEvent", "rs", false);
      default -> rule(request.getResourceName(), operation);
    };
    SmartScopes.Level level = access == null || rule == null ? SmartScopes.Level.NONE
        : access.caller().scopes().level(rule.type(), rule.letters());
    if (level == SmartScopes.Level.PATIENT && rule != null && !rule.patientAllowed()) {
      level = SmartScopes.Level.NONE;
    }
    if (access != null) {
      access.decide(level);
    }
    if (level == SmartScopes.Level.NONE) {
      ForbiddenOperationException denied = new ForbiddenOperationException("insufficient scope");
      denied.addResponseHeader("WWW-Authenticate", "Bearer error=\"insufficient_scope\"");
      throw denied;
    }
  }

  private record Rule(String type, String letters, boolean patientAllowed) {}

  private static @Nullable Rule rule(@Nullable String resource, RestOperationTypeEnum operation) {
    String type = resource == null ? "AuditEvent" : resource; // POST /fhir: a Bundle for the feed
    if (!type.equals("AuditEvent") && !type.equals("Subscription")) {
      return null;
    }
    return switch (operation) {
      case READ, VREAD -> new Rule(type, "r", true);
      case SEARCH_TYPE, GET_PAGE -> new Rule(type, "s", true);
      case EXTENDED_OPERATION_TYPE, EXTENDED_OPERATION_INSTANCE -> new Rule(type, "rs", true);
      // server-level operations ($stats, $access-report if declared so) read audit data too
      case EXTENDED_OPERATION_SERVER -> resource == null ? new Rule("AuditEvent", "rs", true) : null;
      // a patient-scoped app cannot write audit records about anyone: the feed needs user/system
      case CREATE -> new Rule(type, "c", type.equals("Subscription"));
      case TRANSACTION, BATCH -> resource == null ? new Rule("AuditEvent", "c", false) : null;
      case UPDATE, PATCH -> new Rule(type, "u", type.equals("Subscription"));
      case DELETE -> new Rule(type, "d", type.equals("Subscription"));
      default -> null;
    };
  }
}
