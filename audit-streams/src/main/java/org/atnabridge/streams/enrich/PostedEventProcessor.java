package org.atnabridge.streams.enrich;

import java.time.Clock;
import java.util.Objects;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;
import org.atnabridge.schemas.EventHeaders;
import org.atnabridge.schemas.Topics;
import org.atnabridge.streams.AuditTopology;
import org.atnabridge.streams.DeadLetters;
import org.atnabridge.streams.StreamsMeters;
import org.atnabridge.streams.chain.ChainProcessor;
import org.atnabridge.streams.chain.FirstReceipts;
import org.hl7.fhir.r5.model.AuditEvent;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one {@code audit.events} record and forwards it, parsed, to enrichment, unless it carries
 * {@link EventHeaders#CHAINED_BY} (converted from {@code atna.raw}: already enriched and chained
 * by the task that wrote it). A record that is not an AuditEvent with an id goes to {@code
 * audit.dlq} (reason {@value #NOT_AUDIT_EVENT}) with its bytes and headers, never stopping the
 * partition. An event whose id was chained before from another {@code audit.events} record (the
 * feed gives the same event from the same client the same id) is a later receipt: dropped and
 * counted as a duplicate with transport {@value #FEED} ({@link FirstReceipts}).
 */
public final class PostedEventProcessor implements Processor<byte[], byte[], Object, Object> {

  public static final String NOT_AUDIT_EVENT = "NOT_AUDIT_EVENT";
  /** The {@code transport} of posted events in the duplicates meter. */
  public static final String FEED = "feed";
  private static final Logger LOG = LoggerFactory.getLogger(PostedEventProcessor.class);

  private final StreamsMeters meters;
  private final DeadLetters deadLetters;
  private @Nullable ProcessorContext<Object, Object> context;
  private @Nullable WindowStore<String, String> ids;

  public PostedEventProcessor(Clock clock, StreamsMeters meters) {
    this.meters = meters;
    this.deadLetters = new DeadLetters(AuditTopology.ENRICH_STAGE, clock, meters);
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    this.context = context;
    this.ids = context.getStateStore(ChainProcessor.IDS_STORE);
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    if (record.headers().lastHeader(EventHeaders.CHAINED_BY) != null) {
      return;
    }
    ProcessorContext<Object, Object> ctx = Objects.requireNonNull(context, "init not called");
    AuditEvent event;
    try {
      event = Topics.AUDIT_EVENTS.valueSerde().deserializer().deserialize(Topics.AUDIT_EVENTS.name(), record.value());
      if (event == null || !event.getIdElement().hasIdPart()) {
        throw new IllegalArgumentException(event == null ? "null value" : "AuditEvent without id");
      }
    } catch (RuntimeException e) {
      LOG.debug("dead-lettered {}: {}", DeadLetters.describe(ctx), e.getMessage());
      deadLetters.send(ctx, record, NOT_AUDIT_EVENT, e.getMessage());
      return;
    }
    meters.posted();
    if (!FirstReceipts.admit(Objects.requireNonNull(ids), event.getIdElement().getIdPart(),
        FirstReceipts.source(ctx.recordMetadata().orElse(null)))) {
      meters.duplicate(FEED); // the same event posted again by the same client: the first stays the record
      return;
    }
    ctx.forward(new Record<Object, Object>(event.getIdElement().getIdPart(), event, record.timestamp(),
        record.headers()), AuditTopology.ENRICH);
  }
}
