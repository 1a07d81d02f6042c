package org.atnabridge.streams.convert;

import java.time.Clock;
import org.apache.kafka.streams.Topology;
import org.atnabridge.atna.AtnaConverter;
import org.atnabridge.schemas.Topics;

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
    Topology topology = new Topology();
    topology.addSource(SOURCE, Topics.ATNA_RAW.keySerde().deserializer(), Topics.ATNA_RAW.valueSerde().deserializer(),
        Topics.ATNA_RAW.name());
    topology.addProcessor(CONVERT, () -> new ConvertProcessor(converter, clock), SOURCE);
    topology.addSink(EVENTS_SINK, Topics.AUDIT_EVENTS.name(), Topics.AUDIT_EVENTS.keySerde().serializer(),
        Topics.AUDIT_EVENTS.valueSerde().serializer(), CONVERT);
    topology.addSink(DLQ_SINK, Topics.AUDIT_DLQ.name(), Topics.AUDIT_DLQ.keySerde().serializer(),
        Topics.AUDIT_DLQ.valueSerde().serializer(), CONVERT);
    return topology;
  }
}
