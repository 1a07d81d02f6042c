package org.atnabridge.streams.accesslog;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.atnabridge.accesslog.AccessLogConversion;
import org.atnabridge.accesslog.AccessLogConverter;
import org.atnabridge.accesslog.AccessLogSource;
import org.atnabridge.accesslog.LineOrigin;
import org.atnabridge.schemas.RawHeaders;
import org.atnabridge.schemas.RawMetadata;
import org.atnabridge.streams.convert.EventForwarder;
import org.atnabridge.streams.outcome.DeadLetters;
import org.atnabridge.streams.outcome.StreamsMeters;
import org.hl7.fhir.r5.model.AuditEvent;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Converts one {@code accesslog.raw} record ({@link AccessLogConverter}) and forwards its events as
 * the ATNA step does ({@link EventForwarder}: {@code audit.events} marked chained-by, the object to
 * enrichment, later receipts dropped: the event id derives from the source and the line, so a
 * replayed line is a later receipt).
 *
 * <p>The value is the frame as received for syslog intake ({@code atna.transport} udp, tcp or tls):
 * its MSG is the line and its HOSTNAME the line's origin ({@link SyslogWrappedLine}); for HTTP
 * intake, or a shipper writing to Kafka itself, the value is the line. The source is the one the
 * {@code accesslog.source} header names ({@link AccessLogSourceTable}).
 *
 * <p>Outcomes: converted → every event (one per patient) forwarded and the line counted per source;
 * dropped (no FHIR / REST interaction: {@code /health}, a static file) → counted per source and
 * reason, nothing written; failed → the record, bytes and headers untouched, to {@code audit.dlq}
 * with the {@code FailureReason} name and the converter's detail, which never repeats the line. A
 * converter defect is dead-lettered as {@value #CONVERTER_ERROR} and never stops the partition.
 */
public final class AccessLogConvertProcessor implements Processor<byte[], byte[], Object, Object> {

  private static final Logger LOG = LoggerFactory.getLogger(AccessLogConvertProcessor.class);

  /** Reason code of a line the converter failed on unexpectedly (as for ATNA messages). */
  public static final String CONVERTER_ERROR = "CONVERTER_ERROR";

  /** Transports whose records carry a syslog frame, not a bare line. */
  private static final Set<String> SYSLOG_TRANSPORTS = Set.of("udp", "tcp", "tls");

  private final AccessLogConverter converter;
  private final AccessLogSourceTable sources;
  private final StreamsMeters meters;
  private final DeadLetters deadLetters;
  private final EventForwarder forwarder;
  private @Nullable ProcessorContext<Object, Object> context;

  /**
   * @param forwarder encodes and forwards the events (built with the same {@code deadLetters})
   */
  public AccessLogConvertProcessor(
      AccessLogConverter converter,
      AccessLogSourceTable sources,
      StreamsMeters meters,
      DeadLetters deadLetters,
      EventForwarder forwarder) {
    this.converter = converter;
    this.sources = sources;
    this.meters = meters;
    this.deadLetters = deadLetters;
    this.forwarder = forwarder;
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    this.context = context;
    forwarder.init(context);
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    ProcessorContext<Object, Object> ctx = Objects.requireNonNull(context, "init not called");
    byte[] value = record.value() == null ? new byte[0] : record.value();
    RawMetadata metadata = RawMetadata.fromHeaders(record.headers(), record.timestamp());
    AccessLogSource source =
        sources.source(RawHeaders.get(record.headers(), RawHeaders.ACCESS_LOG_SOURCE));
    AccessLogConversion conversion;
    List<byte[]> encoded = List.of();
    // only conversion is guarded: a failure downstream is not this line's fault
    try {
      String hostname = null;
      byte[] line = value;
      if (SYSLOG_TRANSPORTS.contains(metadata.transport())) {
        SyslogWrappedLine wrapped = SyslogWrappedLine.of(value, metadata.receivedAt());
        hostname = wrapped.hostname();
        line = wrapped.line();
      }
      conversion =
          converter.convert(
              line, source, new LineOrigin(hostname, metadata.peer(), metadata.receivedAt()));
      if (conversion instanceof AccessLogConversion.Converted converted) {
        List<byte[]> json = forwarder.encode(ctx, record, converted.events());
        if (json == null) {
          return; // dead-lettered: an event over the limit
        }
        encoded = json;
      }
    } catch (RuntimeException e) {
      // a defect must not stop the partition; the detail names the exception type only, since a
      // message could quote the line
      LOG.warn(
          "access log converter failed unexpectedly on {}: {}",
          DeadLetters.describe(ctx),
          e.getClass().getName());
      meters.accessLogFailed(source.name(), CONVERTER_ERROR);
      deadLetters.send(ctx, record, CONVERTER_ERROR, e.getClass().getSimpleName());
      return;
    }
    switch (conversion) {
      case AccessLogConversion.Converted converted -> {
        List<AuditEvent> events = converted.events();
        meters.accessLogConverted(source.name());
        forwarder.forward(ctx, record, events, encoded, metadata.transport());
      }
      case AccessLogConversion.Dropped dropped ->
          meters.accessLogDropped(source.name(), dropped.reason().name());
      case AccessLogConversion.Failed failed -> {
        meters.accessLogFailed(source.name(), failed.reason().name());
        deadLetters.send(
            ctx,
            record,
            failed.reason().name(),
            failed.detail().isEmpty() ? null : failed.detail());
      }
    }
  }
}
