package org.atnabridge.streams.enrich;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;
import org.atnabridge.schemas.EventHeaders;
import org.atnabridge.schemas.Topics;
import org.atnabridge.streams.chain.FirstReceipts;
import org.atnabridge.streams.outcome.DeadLetters;
import org.atnabridge.streams.outcome.StreamsMeters;
import org.hl7.fhir.r5.model.AuditEvent;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes one posted record ({@code audit.posted}: the FHIR feed, self-audit, Security Alerts) and
 * forwards it twice, as conversion does for a raw record: its bytes as posted to the {@code
 * audit.events} sink, marked with {@link EventHeaders#CHAINED_BY} (the topic of record), then the
 * parsed AuditEvent to the next step (enrichment). A record that is not an AuditEvent with an id
 * goes to {@code audit.dlq} (reason {@value #NOT_AUDIT_EVENT}) with its bytes and headers, never
 * stopping the partition. An event whose id was chained before from another posted record (the feed
 * gives the same event from the same client the same id) is a later receipt: nothing of it is
 * forwarded, and it is counted as a duplicate with transport {@value #FEED} ({@link
 * FirstReceipts}).
 */
public final class PostedEventProcessor implements Processor<byte[], byte[], Object, Object> {

  public static final String NOT_AUDIT_EVENT = "NOT_AUDIT_EVENT";

  /** The {@code transport} of posted events in the duplicates meter. */
  public static final String FEED = "feed";

  private static final Logger LOG = LoggerFactory.getLogger(PostedEventProcessor.class);

  private final byte[] chainedBy;
  private final StreamsMeters meters;
  private final DeadLetters deadLetters;
  private final String idsStore;
  private final String eventsSink;
  private final String next;
  private @Nullable ProcessorContext<Object, Object> context;
  private @Nullable WindowStore<String, String> ids;

  /**
   * @param applicationId the value of {@link EventHeaders#CHAINED_BY} on the events it writes
   * @param idsStore the chained-ids store {@link FirstReceipts} reads
   * @param eventsSink the node that writes {@code audit.events} (String key, JSON bytes)
   * @param next the node that takes the AuditEvent object on (enrichment)
   */
  public PostedEventProcessor(
      String applicationId,
      StreamsMeters meters,
      DeadLetters deadLetters,
      String idsStore,
      String eventsSink,
      String next) {
    this.chainedBy = applicationId.getBytes(StandardCharsets.UTF_8);
    this.meters = meters;
    this.deadLetters = deadLetters;
    this.idsStore = idsStore;
    this.eventsSink = eventsSink;
    this.next = next;
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    this.context = context;
    this.ids = context.getStateStore(idsStore);
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    ProcessorContext<Object, Object> ctx = Objects.requireNonNull(context, "init not called");
    AuditEvent event;
    try {
      event =
          Topics.AUDIT_POSTED
              .valueSerde()
              .deserializer()
              .deserialize(Topics.AUDIT_POSTED.name(), record.value());
      if (event == null || !event.getIdElement().hasIdPart()) {
        throw new IllegalArgumentException(event == null ? "null value" : "AuditEvent without id");
      }
    } catch (RuntimeException e) {
      LOG.debug("dead-lettered {}: {}", DeadLetters.describe(ctx), e.getMessage());
      deadLetters.send(ctx, record, NOT_AUDIT_EVENT, e.getMessage());
      return;
    }
    meters.posted();
    String id = event.getIdElement().getIdPart();
    if (!FirstReceipts.admit(
        Objects.requireNonNull(ids), id, FirstReceipts.source(ctx.recordMetadata().orElse(null)))) {
      meters.duplicate(
          FEED); // the same event posted again by the same client: the first stays the record
      return;
    }
    Headers marked =
        new RecordHeaders(record.headers().toArray()).add(EventHeaders.CHAINED_BY, chainedBy);
    ctx.forward(
        new Record<Object, Object>(id, record.value(), record.timestamp(), marked), eventsSink);
    ctx.forward(new Record<Object, Object>(id, event, record.timestamp(), record.headers()), next);
  }
}
