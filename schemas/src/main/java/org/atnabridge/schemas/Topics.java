package org.atnabridge.schemas;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.hl7.fhir.r5.model.AuditEvent;

/**
 * The topics of the data flow (README.md, "What bin/atna-bridge starts"), as immutable constants.
 *
 * <ul>
 *   <li>{@link #ATNA_RAW}: every syslog frame exactly as received; key = null (round robin) or
 *       peer, value = the frame's bytes, metadata in {@link RawHeaders}. Retained long enough to
 *       replay through a fixed converter.
 *   <li>{@link #ACCESSLOG_RAW}: every HTTP access log line as accepted (syslog frames whose
 *       APP-NAME or TAG is an access log tag, lines posted to {@code /ingest/access-logs}, lines
 *       shippers write themselves), secret query values already masked; key = peer, metadata in
 *       {@link RawHeaders} plus {@link RawHeaders#ACCESS_LOG_SOURCE}.
 *   <li>{@link #AUDIT_EVENTS}: the topic of record: every AuditEvent (converted from {@code
 *       atna.raw} or posted), as FHIR R5 JSON, key = the content-derived resource id; written only
 *       by the audit-streams task, in the transaction that chains the event.
 *   <li>{@link #AUDIT_POSTED}: AuditEvents posted by the API (FHIR feed, self-audit, Security
 *       Alerts) on their way to that task (same key and format).
 *   <li>{@link #AUDIT_ENRICHED}: enriched, labelled, chained AuditEvents (same key and format).
 *   <li>{@link #AUDIT_DLQ}: records that could not be processed: the original key, value and
 *       headers plus {@link DeadLetterHeaders}.
 *   <li>{@link #REFERENCE_PEOPLE}, {@link #REFERENCE_PATIENTS}, {@link #REFERENCE_NODES}: compacted
 *       reference data joined as GlobalKTables by the enrichment; value = a FHIR R5 resource as
 *       JSON ({@link ResourceSerde}), null = delete. Keys are documented on each constant.
 *   <li>{@link #AUDIT_CHECKPOINTS}: signed hash-chain checkpoints, key = the chain's partition
 *       number as decimal text, value = {@link org.atnabridge.schemas.chain.Checkpoint} JSON.
 *   <li>{@link #AUDIT_ALERTS}: alerts the rules fired, the notification outbox; key = the alert id,
 *       value = {@link org.atnabridge.schemas.alert.Alert} JSON ({@link
 *       org.atnabridge.schemas.alert.AlertJson}, versioned).
 *   <li>{@link #AUDIT_ALERTS_DLQ}: alerts a channel could not take before the delivery deadline:
 *       the alert record as it was, plus {@link DeadLetterHeaders} naming the channel and reason.
 *   <li>{@link #AUDIT_SUBSCRIPTIONS}: FHIR R5 Subscription resources (compacted).
 *   <li>{@link #AUDIT_NOTIFICATIONS}: per-subscription numbered notifications.
 *   <li>{@link #CONSOLE_SAVED_SEARCHES}: the console's saved searches, per user (compacted).
 * </ul>
 */
public final class Topics {

  private static final Serde<byte[]> BYTES = Serdes.ByteArray();
  private static final Serde<String> STRING = Serdes.String();

  public static final Topic<byte[], byte[]> ATNA_RAW =
      new Topic<>(
          "atna.raw",
          BYTES,
          BYTES,
          3,
          Map.of("retention.ms", String.valueOf(30L * 24 * 3600 * 1000)));

  /**
   * HTTP access log lines as accepted, before anything parses them; same partitions and retention
   * as {@link #ATNA_RAW} (task p chains partition p of every input).
   */
  public static final Topic<byte[], byte[]> ACCESSLOG_RAW =
      new Topic<>(
          "accesslog.raw",
          BYTES,
          BYTES,
          3,
          Map.of("retention.ms", String.valueOf(30L * 24 * 3600 * 1000)));

  /**
   * Largest record on {@link #AUDIT_EVENTS}, {@link #AUDIT_POSTED} and {@link #AUDIT_ENRICHED}
   * (topic {@code max.message.bytes}): a 1 MiB ATNA message with thousands of small participant
   * objects becomes an AuditEvent of 2-3 MiB of JSON, and enrichment adds references and displays
   * to it.
   */
  public static final int MAX_EVENT_RECORD_BYTES = 8 * 1024 * 1024;

  /**
   * Largest record on {@link #AUDIT_DLQ}: an event too large for the audit topics must still fit.
   */
  public static final int MAX_DLQ_RECORD_BYTES = 16 * 1024 * 1024;

  public static final Topic<String, AuditEvent> AUDIT_EVENTS =
      new Topic<>(
          "audit.events",
          STRING,
          new AuditEventSerde(),
          3,
          Map.of("max.message.bytes", String.valueOf(MAX_EVENT_RECORD_BYTES)));

  /**
   * The API's intake: posted AuditEvents, read only by the audit-streams task, which writes the
   * first receipt of each to {@link #AUDIT_EVENTS} and chains it. Its own topic so that the task
   * never reads back the events it converted and wrote to {@link #AUDIT_EVENTS} itself; as many
   * partitions as {@link #ATNA_RAW} (task p chains partition p of both).
   */
  public static final Topic<String, AuditEvent> AUDIT_POSTED =
      new Topic<>(
          "audit.posted",
          STRING,
          new AuditEventSerde(),
          3,
          Map.of("max.message.bytes", String.valueOf(MAX_EVENT_RECORD_BYTES)));

  public static final Topic<String, AuditEvent> AUDIT_ENRICHED =
      new Topic<>(
          "audit.enriched",
          STRING,
          new AuditEventSerde(),
          3,
          Map.of("max.message.bytes", String.valueOf(MAX_EVENT_RECORD_BYTES)));

  public static final Topic<byte[], byte[]> AUDIT_DLQ =
      new Topic<>(
          "audit.dlq",
          BYTES,
          BYTES,
          1,
          Map.of("retention.ms", "-1", "max.message.bytes", String.valueOf(MAX_DLQ_RECORD_BYTES)));

  /** Log compaction: a reference topic keeps the latest record per key for ever. */
  public static final Map<String, String> COMPACTED =
      Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", "0");

  private static final Serde<org.hl7.fhir.r5.model.Resource> RESOURCE = new ResourceSerde();

  /**
   * People and organisations that act as agents: key = the user id exactly as senders put it in
   * ATNA {@code UserID} / {@code AuditEvent.agent.who.identifier.value} (no system); value = a
   * Practitioner, PractitionerRole or Organization.
   */
  public static final Topic<String, org.hl7.fhir.r5.model.Resource> REFERENCE_PEOPLE =
      new Topic<>("reference.people", STRING, RESOURCE, 1, COMPACTED);

  /**
   * Patients: key = {@code system|value} of one Patient identifier (e.g. {@code
   * urn:oid:1.2.3|7627199}), or the bare value when the identifier has no system; value = a
   * Patient, whose {@code meta.security} carries its confidentiality and sensitivity labels.
   */
  public static final Topic<String, org.hl7.fhir.r5.model.Resource> REFERENCE_PATIENTS =
      new Topic<>("reference.patients", STRING, RESOURCE, 1, COMPACTED);

  /**
   * Known systems: key = an AuditSourceID ({@code source.observer.identifier.value}) or a network
   * address (IP literal without brackets, or host name); value = a Device (or Organization).
   */
  public static final Topic<String, org.hl7.fhir.r5.model.Resource> REFERENCE_NODES =
      new Topic<>("reference.nodes", STRING, RESOURCE, 1, COMPACTED);

  /** Signed chain checkpoints; kept for ever (they are what {@code verify} trusts). */
  public static final Topic<String, byte[]> AUDIT_CHECKPOINTS =
      new Topic<>("audit.checkpoints", STRING, BYTES, 1, Map.of("retention.ms", "-1"));

  /**
   * Alerts (the outbox of notification delivery); kept for ever like the checkpoints: an alert is
   * small, rare and evidence. Keyed by alert id, so every notification of one alert is in order.
   */
  public static final Topic<String, byte[]> AUDIT_ALERTS =
      new Topic<>("audit.alerts", STRING, BYTES, 3, Map.of("retention.ms", "-1"));

  /** Alerts a channel did not take before the delivery deadline; kept for ever. */
  public static final Topic<String, byte[]> AUDIT_ALERTS_DLQ =
      new Topic<>("audit.alerts.dlq", STRING, BYTES, 1, Map.of("retention.ms", "-1"));

  /**
   * FHIR R5 Subscriptions, the one list every API node and the matcher read: key = the
   * Subscription's logical id, value = the Subscription resource as stored (with the subscriber's
   * access, {@link org.atnabridge.schemas.subscription.SubscriberAccess}), null = deleted.
   * Compacted: the latest state of each subscription is kept for ever.
   */
  public static final Topic<String, org.hl7.fhir.r5.model.Resource> AUDIT_SUBSCRIPTIONS =
      new Topic<>("audit.subscriptions", STRING, RESOURCE, 1, COMPACTED);

  /**
   * How long {@link #AUDIT_NOTIFICATIONS} keeps a notification: how far back {@code $events} can
   * replay, and how long a subscription's delivery may be behind before it loses events.
   */
  public static final long NOTIFICATION_RETENTION_MS = 7L * 24 * 3600 * 1000;

  /**
   * Numbered notifications: key = the Subscription id (so one subscription's notifications stay in
   * order on one partition), value = {@link
   * org.atnabridge.schemas.subscription.SubscriptionNotification} JSON ({@link
   * org.atnabridge.schemas.subscription.SubscriptionNotificationJson}). Written by the matcher in
   * audit-streams with exactly-once; read by the API nodes' delivery (one consumer group) and by
   * {@code $events}.
   */
  public static final Topic<String, byte[]> AUDIT_NOTIFICATIONS =
      new Topic<>(
          "audit.notifications",
          STRING,
          BYTES,
          3,
          Map.of(
              "retention.ms",
              String.valueOf(NOTIFICATION_RETENTION_MS),
              "max.message.bytes",
              String.valueOf(MAX_EVENT_RECORD_BYTES)));

  /**
   * The console's saved searches, the one list every API node reads: key = the user's subject
   * (base64url, no padding) + {@code /} + the search's id, value = the saved search as JSON ({@code
   * org.atnabridge.search.console.SavedSearch}), null = deleted. Compacted: kept for ever.
   */
  public static final Topic<String, byte[]> CONSOLE_SAVED_SEARCHES =
      new Topic<>("console.saved-searches", STRING, BYTES, 1, COMPACTED);

  /** Every topic the platform needs, in creation order. */
  public static final List<Topic<?, ?>> ALL =
      List.of(
          ATNA_RAW,
          ACCESSLOG_RAW,
          AUDIT_EVENTS,
          AUDIT_POSTED,
          AUDIT_ENRICHED,
          AUDIT_DLQ,
          REFERENCE_PEOPLE,
          REFERENCE_PATIENTS,
          REFERENCE_NODES,
          AUDIT_CHECKPOINTS,
          AUDIT_ALERTS,
          AUDIT_ALERTS_DLQ,
          AUDIT_SUBSCRIPTIONS,
          AUDIT_NOTIFICATIONS,
          CONSOLE_SAVED_SEARCHES);

  /** The topics as admin-client requests, with replication factor {@code replication}. */
  public static List<NewTopic> newTopics(short replication) {
    return ALL.stream()
        .map(t -> new NewTopic(t.name(), t.partitions(), replication).configs(t.config()))
        .toList();
  }

  /**
   * The topics as admin-client requests with the cluster's {@code default.replication.factor}: what
   * a service creates when it finds a topic missing on an external cluster ({@code topics create}
   * is the way to create them there, with an explicit replication factor).
   */
  public static List<NewTopic> newTopicsWithBrokerReplication() {
    return ALL.stream()
        .map(
            t ->
                new NewTopic(t.name(), Optional.of(t.partitions()), Optional.empty())
                    .configs(t.config()))
        .toList();
  }

  private Topics() {}
}
