package org.atnabridge.streams.subscription;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.store.EventValues;
import org.hl7.fhir.r5.model.AuditEvent;
import org.jspecify.annotations.Nullable;

/**
 * Stage 1: each event of {@code audit.enriched}, projected once ({@link EventValues}), against the
 * {@link SubscriptionIndex}; one {@link Match} per subscription it is one of, keyed by the
 * subscription's id for the repartition that brings a subscription's matches to one task.
 */
final class MatchProcessor implements Processor<String, byte[], String, Match> {

  private final SubscriptionIndex index;
  private final Clock clock;
  private final SubscriptionMeters meters;
  private @Nullable ProcessorContext<String, Match> context;

  MatchProcessor(SubscriptionIndex index, Clock clock, SubscriptionMeters meters) {
    this.index = index;
    this.clock = clock;
    this.meters = meters;
  }

  @Override
  public void init(ProcessorContext<String, Match> context) {
    this.context = context;
  }

  @Override
  public void process(Record<String, byte[]> record) {
    ProcessorContext<String, Match> ctx = Objects.requireNonNull(context, "init not called");
    byte[] json = record.value();
    if (json == null) {
      return;
    }
    EventValues values;
    try {
      AuditEvent event = Fhir.auditEventFromJson(new String(json, StandardCharsets.UTF_8));
      values = EventValues.of(event);
    } catch (RuntimeException e) {
      // the enrich application writes only stored-shape events; anything else is not a match
      meters.unreadable();
      return;
    }
    meters.evaluated();
    Instant now = clock.instant();
    List<ActiveSubscription> matched = index.matching(values, now);
    for (ActiveSubscription s : matched) {
      meters.matched();
      ctx.forward(new Record<>(s.id(), new Match(s.topic(), json), record.timestamp()));
    }
  }
}
