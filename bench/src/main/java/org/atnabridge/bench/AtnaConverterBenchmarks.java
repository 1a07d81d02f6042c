package org.atnabridge.bench;

import ca.uhn.fhir.parser.IParser;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.atnabridge.atna.AtnaConverter;
import org.atnabridge.atna.ConversionException;
import org.atnabridge.schemas.Fhir;
import org.hl7.fhir.r5.model.AuditEvent;
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
 * Throughput of syslog + DICOM audit XML → R5 AuditEvent. One operation = one message, so ops/s is
 * messages/s and {@code -prof gc}'s {@code gc.alloc.rate.norm} is bytes allocated per message. The
 * {@code *Mix} benchmarks walk the corpus round-robin and include JSON serialization (what
 * conversion costs: parse + map + serialize) through the project's one serialization path, {@link
 * Fhir#toJsonBytes} (what the AuditEvent serde writes: {@code FhirJsonWriter}, byte-identical to
 * HAPI); {@code mixToJsonHapi} is the same with HAPI's reflective encoder, for comparison. {@code
 * dicomMixToJson} runs the same payloads as {@code bench-ipf}'s IPF benchmark.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx512m"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class AtnaConverterBenchmarks {

  private final AtnaConverter converter = new AtnaConverter();

  /** HAPI parsers are not thread-safe but reusable: one per benchmark thread (Scope.Thread). */
  private final IParser json = Fhir.context().newJsonParser().setPrettyPrint(false);

  private int next;

  @Benchmark
  public List<AuditEvent> convertPixFeedSyslog(BenchData data) throws ConversionException {
    return converter.convert(data.pixFeedSyslog, data.metadata);
  }

  @Benchmark
  public List<AuditEvent> convertPdqQueryXml(BenchData data) throws ConversionException {
    return converter.convert(data.pdqQueryXml, data.metadata);
  }

  /** Parse + map + serialize one message of the whole 31-message corpus mix. */
  @Benchmark
  public void mixToJson(BenchData data, Blackhole bh) throws ConversionException {
    toJson(data.mix, data, bh);
  }

  /** {@link #mixToJson} with HAPI's reflective JSON encoder instead of the project's writer. */
  @Benchmark
  public void mixToJsonHapi(BenchData data, Blackhole bh) throws ConversionException {
    byte[] message = data.mix[next];
    next = next + 1 == data.mix.length ? 0 : next + 1;
    for (AuditEvent e : converter.convert(message, data.metadata)) {
      bh.consume(json.encodeResourceToString(e));
    }
  }

  /**
   * Parse + map + serialize one message of the DICOM-format mix IPF can read (compare with
   * bench-ipf).
   */
  @Benchmark
  public void dicomMixToJson(BenchData data, Blackhole bh) throws ConversionException {
    toJson(data.dicomMix, data, bh);
  }

  private void toJson(byte[][] messages, BenchData data, Blackhole bh) throws ConversionException {
    byte[] message = messages[next];
    next = next + 1 == messages.length ? 0 : next + 1;
    for (AuditEvent e : converter.convert(message, data.metadata)) {
      bh.consume(Fhir.toJsonBytes(e));
    }
  }
}
