package org.atnabridge.bench;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.atnabridge.atna.AtnaConverter;
import org.atnabridge.atna.ConversionException;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.schemas.RawMetadata;
import org.atnabridge.schemas.RawRecordReference;
import org.atnabridge.schemas.Topics;
import org.atnabridge.schemas.chain.ChainHash;
import org.atnabridge.streams.enrich.AuditEventEnricher;
import org.atnabridge.streams.enrich.EnrichmentConfig;
import org.atnabridge.streams.enrich.ReferenceLookup;
import org.atnabridge.streams.reference.ReferenceFile;
import org.atnabridge.streams.reference.ReferenceRecord;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Resource;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The audit work a stream thread does per {@code atna.raw} record, without Kafka: what {@code
 * ConvertProcessor}, {@code EnrichProcessor} and {@code ChainProcessor} run on the {@link
 * AuditStreamsLoadBench} message (syslog header, XML parse, mapping, the {@code audit.events} JSON,
 * enrichment and labels from the bench's reference rows, the chained {@code audit.enriched} JSON
 * and its SHA-256). With {@link KafkaFloorTopology} (the Kafka work, none of this) it splits the
 * load bench's CPU per event into its two halves.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class AuditStreamsWorkBenchmarks {

  /** Distinct messages, as the load bench sends them (ids and times differ). */
  private static final int FRAMES = 4096;

  private final AtnaConverter converter = new AtnaConverter();
  private final AuditEventEnricher enricher = new AuditEventEnricher(EnrichmentConfig.defaults());
  private final byte[][] frames = new byte[FRAMES][];
  private final ReferenceLookup lookup;
  private int next;
  private long seq;
  private String prevHash = ChainHash.GENESIS;
  private @Nullable String prevId;

  public AuditStreamsWorkBenchmarks() {
    AuditStreamsLoadBench.Frames f = new AuditStreamsLoadBench.Frames();
    for (int i = 0; i < FRAMES; i++) {
      frames[i] = f.frame(i);
    }
    Map<String, Resource> refs = new HashMap<>();
    for (ReferenceRecord r : ReferenceFile.parse(AuditStreamsLoadBench.REFERENCE_CSV).records()) {
      refs.put(r.topic().name() + "|" + r.key(), r.resource());
    }
    lookup =
        new ReferenceLookup() {
          @Override
          public @Nullable Resource person(String userId) {
            return refs.get(Topics.REFERENCE_PEOPLE.name() + "|" + userId);
          }

          @Override
          public @Nullable Resource patient(String key) {
            return refs.get(Topics.REFERENCE_PATIENTS.name() + "|" + key);
          }

          @Override
          public @Nullable Resource node(String key) {
            return refs.get(Topics.REFERENCE_NODES.name() + "|" + key);
          }
        };
  }

  /**
   * The converter library alone on one raw record (syslog header, XML parse, mapping to the R5
   * model).
   */
  @Benchmark
  public List<AuditEvent> convert() throws ConversionException {
    int i = next;
    next = (i + 1) % FRAMES;
    return converter.convert(frames[i], metadata(i));
  }

  /**
   * {@link #convert} and the {@code audit.events} JSON: what the conversion step does before
   * enrichment.
   */
  @Benchmark
  public void convertAndEncode(Blackhole bh) throws ConversionException {
    int i = next;
    next = (i + 1) % FRAMES;
    for (AuditEvent event : converter.convert(frames[i], metadata(i))) {
      RawRecordReference.of(Topics.ATNA_RAW.name(), i % 3, i).applyTo(event);
      bh.consume(Fhir.toJsonBytes(event));
    }
  }

  /**
   * One raw record: convert, encode, enrich, chain (the per-event work of the load bench's stream
   * threads). Returns the last chained {@code audit.enriched} JSON (JMH consumes it).
   */
  @Benchmark
  public byte[] convertEnrichChain(Blackhole bh) throws ConversionException {
    int i = next;
    next = (i + 1) % FRAMES;
    byte[] last = new byte[0];
    for (AuditEvent event : converter.convert(frames[i], metadata(i))) {
      RawRecordReference.of(Topics.ATNA_RAW.name(), i % 3, i).applyTo(event);
      bh.consume(Fhir.toJsonBytes(event));
      enricher.enrich(event, lookup);
      ChainHash.Chained chained =
          ChainHash.chainAndEncode(event, 0, ++seq, prevHash, prevId, null, null);
      prevHash = chained.hash();
      prevId = event.getIdPart();
      last = chained.json();
    }
    return last;
  }

  private static RawMetadata metadata(int i) {
    return new RawMetadata(
        "tcp", "10.0.0." + (i % 50) + ":40000", Instant.ofEpochMilli(1_767_225_600_000L + i), null);
  }
}
