package org.atnabridge.schemas;

import java.util.List;
import org.apache.kafka.clients.admin.NewTopic;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.hl7.fhir.r5.model.AuditEvent;

/**
 * The topics of the data flow (architecture.md), as immutable constants.
 *
 * <ul>
 *   <li>{@link #ATNA_RAW}: every syslog frame exactly as received; key = null (round robin) or
 *       peer, value = the frame's bytes, metadata in {@link RawHeaders}. Retained long enough to
 *       replay through a fixed converter.
 *   <li>{@link #AUDIT_EVENTS}: FHIR R5 AuditEvent JSON, key = the content-derived resource id.
 *   <li>{@link #AUDIT_ENRICHED}: enriched, labelled, chained AuditEvents (same key and format).
 *   <li>{@link #AUDIT_DLQ}: records that could not be processed: the original key, value and
 *       headers plus {@link DeadLetterHeaders}.
 * </ul>
 */
public final class Topics {

  private static final Serde<byte[]> BYTES = Serdes.ByteArray();
  private static final Serde<String> STRING = Serdes.String();

  public static final Topic<byte[], byte[]> ATNA_RAW =
      new Topic<>("atna.raw", BYTES, BYTES, 3, Map.of("retention.ms", String.valueOf(30L * 24 * 3600 * 1000)));

  public static final Topic<String, AuditEvent> AUDIT_EVENTS =
      new Topic<>("audit.events", STRING, new AuditEventSerde(), 3, Map.of());

  public static final Topic<String, AuditEvent> AUDIT_ENRICHED =
      new Topic<>("audit.enriched", STRING, new AuditEventSerde(), 3, Map.of());

  public static final Topic<byte[], byte[]> AUDIT_DLQ =
      new Topic<>("audit.dlq", BYTES, BYTES, 1, Map.of("retention.ms", "-1"));

  /** Every topic the platform needs, in creation order. */
  public static final List<Topic<?, ?>> ALL = List.of(ATNA_RAW, AUDIT_EVENTS, AUDIT_ENRICHED, AUDIT_DLQ);

  /** The topics as admin-client requests, with replication factor {@code replication}. */
  public static List<NewTopic> newTopics(short replication) {
    return ALL.stream()
        .map(t -> new NewTopic(t.name(), t.partitions(), replication).configs(t.config()))
        .toList();
  }

  private Topics() {}
}
