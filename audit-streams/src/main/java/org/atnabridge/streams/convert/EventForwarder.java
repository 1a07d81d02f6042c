package org.atnabridge.streams.convert;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.WindowStore;
import org.atnabridge.schemas.EventHeaders;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.schemas.RawRecordReference;
import org.atnabridge.streams.chain.FirstReceipts;
import org.atnabridge.streams.outcome.DeadLetters;
import org.atnabridge.streams.outcome.StreamsMeters;
import org.hl7.fhir.r5.model.AuditEvent;
import org.jspecify.annotations.Nullable;

/**
 * What every converting step does with the AuditEvents of one input record, in two steps: {@link
 * #encode} marks each event with its raw record ({@link RawRecordReference}) and encodes its JSON
 * before enrichment changes the object, dead-lettering the whole record ({@value #EVENT_TOO_LARGE})
 * when one event is over the limit; {@link #forward} then sends each first receipt twice: its JSON
 * to the {@code audit.events} sink, marked with {@link EventHeaders#CHAINED_BY}, and the object to
 * the next step (enrichment). A later receipt ({@link FirstReceipts}) is counted per transport and
 * not forwarded at all.
 */
public final class EventForwarder {

  /**
   * Reason code: a record whose AuditEvent JSON is over the limit (whole record dead-lettered,
   * nothing forwarded).
   */
  public static final String EVENT_TOO_LARGE = "EVENT_TOO_LARGE";

  private final byte[] chainedBy;
  private final StreamsMeters meters;
  private final DeadLetters deadLetters;
  private final int maxEventBytes;
  private final String idsStore;
  private final String eventsSink;
  private final String next;
  private @Nullable WindowStore<String, String> ids;

  /**
   * @param applicationId the value of {@link EventHeaders#CHAINED_BY} on the events it writes
   * @param maxEventBytes the largest AuditEvent JSON it forwards; enrichment and the chain link
   *     must still fit in the topic's record limit after it
   * @param idsStore the chained-ids store {@link FirstReceipts} reads
   * @param eventsSink the node that writes {@code audit.events} (String key, JSON bytes)
   * @param next the node that takes the AuditEvent object on (enrichment)
   */
  public EventForwarder(
      String applicationId,
      StreamsMeters meters,
      DeadLetters deadLetters,
      int maxEventBytes,
      String idsStore,
      String eventsSink,
      String next) {
    this.chainedBy = applicationId.getBytes(StandardCharsets.UTF_8);
    this.meters = meters;
    this.deadLetters = deadLetters;
    this.maxEventBytes = maxEventBytes;
    this.idsStore = idsStore;
    this.eventsSink = eventsSink;
    this.next = next;
  }

  /** Called from the processor's {@code init}. */
  public void init(ProcessorContext<Object, Object> context) {
    this.ids = context.getStateStore(idsStore);
  }

  /**
   * The JSON of each event, in order, after marking it with the record it came from; null when one
   * is over the limit (the record is then dead-lettered here, and nothing of it may be forwarded).
   */
  public @Nullable List<byte[]> encode(
      ProcessorContext<Object, Object> ctx,
      Record<byte[], byte[]> record,
      List<AuditEvent> events) {
    RecordMetadata source = ctx.recordMetadata().orElse(null);
    List<byte[]> encoded = new ArrayList<>(events.size());
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
        return null;
      }
      encoded.add(json);
    }
    return encoded;
  }

  /**
   * Forwards the first receipts of {@code events} ({@code encoded} from {@link #encode}).
   *
   * @param transport the {@code atna.transport} of the input record, for the duplicates counter
   */
  public void forward(
      ProcessorContext<Object, Object> ctx,
      Record<byte[], byte[]> record,
      List<AuditEvent> events,
      List<byte[]> encoded,
      String transport) {
    String from = FirstReceipts.source(ctx.recordMetadata().orElse(null));
    WindowStore<String, String> chained = Objects.requireNonNull(ids, "init not called");
    for (int i = 0; i < events.size(); i++) {
      AuditEvent event = events.get(i);
      String id = event.getIdPart();
      if (!FirstReceipts.admit(chained, id, from)) {
        meters.duplicate(transport); // a later receipt: the first one stays the record
        continue;
      }
      Headers marked = new RecordHeaders().add(EventHeaders.CHAINED_BY, chainedBy);
      ctx.forward(
          new Record<Object, Object>(id, encoded.get(i), record.timestamp(), marked), eventsSink);
      ctx.forward(new Record<Object, Object>(id, event, record.timestamp()), next);
    }
  }
}
