package org.atnabridge.streams.convert;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.WindowStore;
import org.atnabridge.atna.AtnaConverter;
import org.atnabridge.atna.ConversionException;
import org.atnabridge.schemas.EventHeaders;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.schemas.RawMetadata;
import org.atnabridge.schemas.RawRecordReference;
import org.atnabridge.streams.chain.FirstReceipts;
import org.atnabridge.streams.outcome.DeadLetters;
import org.atnabridge.streams.outcome.StreamsMeters;
import org.hl7.fhir.r5.model.AuditEvent;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Converts one raw record and forwards each AuditEvent twice: its JSON, encoded here before
 * enrichment changes the object, to the {@code audit.events} sink, marked with {@link
 * EventHeaders#CHAINED_BY}; then the object to the next step (enrichment). Never throws for bad
 * input: a {@link ConversionException}, an unexpected converter failure, or an AuditEvent whose
 * JSON is over the limit ({@value #EVENT_TOO_LARGE}) sends the record, untouched, to {@link
 * DeadLetters} with a reason, and nothing of that message is forwarded, so one poison record never
 * stops the topology and never half-arrives.
 *
 * <p>An event whose id was chained before from another input record is a later receipt of the same
 * audit message from the same sender ({@link FirstReceipts}): nothing of it is forwarded, to {@code
 * audit.events} or the chain, and it is counted per transport.
 */
public final class ConvertProcessor implements Processor<byte[], byte[], Object, Object> {

  private static final Logger LOG = LoggerFactory.getLogger(ConvertProcessor.class);

  private final AtnaConverter converter;
  private final byte[] chainedBy;
  private final StreamsMeters meters;
  private final DeadLetters deadLetters;
  private final int maxEventBytes;
  private final String idsStore;
  private final String eventsSink;
  private final String next;
  private @Nullable ProcessorContext<Object, Object> context;
  private @Nullable WindowStore<String, String> ids;

  /**
   * Reason code: a message whose AuditEvent JSON is over the limit (whole message dead-lettered,
   * nothing forwarded).
   */
  public static final String EVENT_TOO_LARGE = "EVENT_TOO_LARGE";

  /**
   * @param applicationId the value of {@link EventHeaders#CHAINED_BY} on the events it writes
   * @param maxEventBytes the largest AuditEvent JSON it forwards; enrichment and the chain link
   *     must still fit in the topic's record limit after it
   * @param idsStore the chained-ids store {@link FirstReceipts} reads
   * @param eventsSink the node that writes {@code audit.events} (String key, JSON bytes)
   * @param next the node that takes the AuditEvent object on (enrichment)
   */
  public ConvertProcessor(
      AtnaConverter converter,
      String applicationId,
      StreamsMeters meters,
      DeadLetters deadLetters,
      int maxEventBytes,
      String idsStore,
      String eventsSink,
      String next) {
    this.maxEventBytes = maxEventBytes;
    this.converter = converter;
    this.meters = meters;
    this.deadLetters = deadLetters;
    this.chainedBy = applicationId.getBytes(StandardCharsets.UTF_8);
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
    RecordMetadata source = ctx.recordMetadata().orElse(null);
    byte[] value = record.value() == null ? new byte[0] : record.value();
    List<AuditEvent> events;
    List<byte[]> encoded = new ArrayList<>(1);
    RawMetadata metadata = RawMetadata.fromHeaders(record.headers(), record.timestamp());
    // only conversion is guarded here: a failure downstream (enrich, chain, a sink) is not this
    // record's fault and must not be dead-lettered as if it were
    try {
      events = converter.convert(value, metadata);
      for (AuditEvent event : events) {
        if (source != null) {
          RawRecordReference.of(source.topic(), source.partition(), source.offset()).applyTo(event);
        }
        byte[] json = Fhir.toJsonBytes(event);
        if (json.length > maxEventBytes) {
          deadLetters.send(
              ctx,
              record,
              EVENT_TOO_LARGE,
              "the AuditEvent converted from it has "
                  + json.length
                  + " bytes of JSON, the limit is "
                  + maxEventBytes);
          return;
        }
        encoded.add(json);
      }
    } catch (ConversionException e) {
      deadLetters.send(ctx, record, e.failure().name(), e.getMessage());
      return;
    } catch (RuntimeException e) {
      // a converter bug must not stop the partition: park the record and say so
      LOG.warn("converter failed unexpectedly on {}: {}", DeadLetters.describe(ctx), e.toString());
      deadLetters.send(
          ctx, record, "CONVERTER_ERROR", e.getClass().getSimpleName() + ": " + e.getMessage());
      return;
    }
    String from = FirstReceipts.source(source);
    WindowStore<String, String> chained = Objects.requireNonNull(ids);
    for (int i = 0; i < events.size(); i++) {
      AuditEvent event = events.get(i);
      String id = event.getIdPart();
      meters.converted();
      if (!FirstReceipts.admit(chained, id, from)) {
        meters.duplicate(metadata.transport()); // a later receipt: the first one stays the record
        continue;
      }
      Headers marked = new RecordHeaders().add(EventHeaders.CHAINED_BY, chainedBy);
      ctx.forward(
          new Record<Object, Object>(id, encoded.get(i), record.timestamp(), marked), eventsSink);
      ctx.forward(new Record<Object, Object>(id, event, record.timestamp()), next);
    }
  }
}
