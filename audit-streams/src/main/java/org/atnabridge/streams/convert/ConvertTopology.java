package org.atnabridge.streams.convert;

import java.time.Clock;
import org.apache.kafka.streams.Topology;
import org.atnabridge.atna.AtnaConverter;
import org.apache.kafka.common.serialization.Serializer;
import org.atnabridge.schemas.Topics;
import org.atnabridge.streams.handoff.EventHandoff;
import org.hl7.fhir.r5.model.AuditEvent;

/**
 * {@code atna.raw} → {@code audit.events} | {@code audit.dlq}.
 *
 * <p>Built with the Processor API because conversion needs the record headers (transport, peer,
 * receive time) and the source offset, which the DSL does not expose.
 */
public final class ConvertTopology {

  /** Application id: changing it resets the committed offsets, so it is a constant, never a class name. */
  public static final String APPLICATION_ID = "audit-convert";

  static final String SOURCE = "atna-raw-source";
  static final String CONVERT = "convert";
  static final String EVENTS_SINK = "audit-events-sink";
  static final String DLQ_SINK = "audit-dlq-sink";

  private ConvertTopology() {}

  public static Topology build(AtnaConverter converter, Clock clock) {
    return build(converter, clock, EventHandoff.disabled());
  }

  /** As {@link #build(AtnaConverter, Clock)}, offering each encoded event to {@code handoff} (same JVM's enrich). */
  public static Topology build(AtnaConverter converter, Clock clock, EventHandoff handoff) {
    Serializer<AuditEvent> json = Topics.AUDIT_EVENTS.valueSerde().serializer();
    Serializer<AuditEvent> handingOver = (topic, event) -> {
      byte[] bytes = json.serialize(topic, event);
      // called on the stream thread as the record is sent: convert never touches the event again
      handoff.offer(event.getIdPart(), bytes, event);
      return bytes;
    };
    Topology topology = new Topology();
    topology.addSource(SOURCE, Topics.ATNA_RAW.keySerde().deserializer(), Topics.ATNA_RAW.valueSerde().deserializer(),
        Topics.ATNA_RAW.name());
    topology.addProcessor(CONVERT, () -> new ConvertProcessor(converter, clock), SOURCE);
    topology.addSink(EVENTS_SINK, Topics.AUDIT_EVENTS.name(), Topics.AUDIT_EVENTS.keySerde().serializer(),
        handingOver, CONVERT);
    topology.addSink(DLQ_SINK, Topics.AUDIT_DLQ.name(), Topics.AUDIT_DLQ.keySerde().serializer(),
        Topics.AUDIT_DLQ.valueSerde().serializer(), CONVERT);
    return topology;
  }
}
