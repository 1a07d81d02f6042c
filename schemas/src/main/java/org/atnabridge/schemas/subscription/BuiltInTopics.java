package org.atnabridge.schemas.subscription;

import java.util.List;
import org.atnabridge.schemas.vocab.Extensions;

/** The canonical URLs of the product's built-in SubscriptionTopics (FHIR R5 topic-based). */
public final class BuiltInTopics {

  /** Every AuditEvent stored (every event on {@code audit.enriched}). */
  public static final String AUDIT_EVENT = Extensions.SUBSCRIPTION_TOPIC_BASE + "audit-event";

  /**
   * Security Alert AuditEvents (category DCM 110113), which the alert rules post for each alert.
   */
  public static final String SECURITY_ALERT = Extensions.SUBSCRIPTION_TOPIC_BASE + "security-alert";

  public static final List<String> ALL = List.of(AUDIT_EVENT, SECURITY_ALERT);

  private BuiltInTopics() {}
}
