package org.atnabridge.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.atnabridge.atna.AtnaConverter;
import org.atnabridge.atna.ConversionException;
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

/** Throughput of syslog + DICOM audit XML → R5 AuditEvent, the per-message cost of conversion. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx512m"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class AtnaConverterBenchmarks {

  private final AtnaConverter converter = new AtnaConverter();

  @Benchmark
  public List<AuditEvent> convertPixFeedSyslog(BenchData data) throws ConversionException {
    return converter.convert(data.pixFeedSyslog, data.metadata);
  }

  @Benchmark
  public List<AuditEvent> convertPdqQueryXml(BenchData data) throws ConversionException {
    return converter.convert(data.pdqQueryXml, data.metadata);
  }
}
