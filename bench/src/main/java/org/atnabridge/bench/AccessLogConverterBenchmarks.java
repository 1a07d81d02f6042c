package org.atnabridge.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.atnabridge.accesslog.AccessLogConversion;
import org.atnabridge.accesslog.AccessLogConverter;
import org.atnabridge.accesslog.AccessLogFormat;
import org.atnabridge.accesslog.AccessLogSource;
import org.atnabridge.accesslog.JsonFieldMapping;
import org.atnabridge.accesslog.LineOrigin;
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
 * Throughput of HTTP access log line → BALP R5 AuditEvent → JSON ({@link Fhir#toJsonBytes}, what
 * the AuditEvent serde writes), one thread. One operation = one line of a realistic mix, so ops/s
 * is lines/s: 20 lines, 14 nginx {@code combined} (reads, searches with patients, writes, a delete,
 * failures, a health check and a static file that are dropped), 4 nginx JSON lines
 * (X-Forwarded-For, user, OAuth client, request id; one search naming two patients) and 2 Envoy
 * default-format lines.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx512m"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class AccessLogConverterBenchmarks {

  private static final String UA = "\"-\" \"HAPI-FHIR/8.8.1 (FHIR Client; FHIR 5.0.0/R5; apache)\"";

  private static final List<String> COMBINED_LINES =
      List.of(
          "10.20.1.15 - dr.house [01/Dec/2026:08:00:02 +0100] \"GET /fhir/Patient/pat-1001 HTTP/1.1\" 200 1422 "
              + UA,
          "10.20.1.15 - dr.house [01/Dec/2026:08:00:04 +0100] \"GET /fhir/Observation?patient=pat-1001&category=laboratory&_count=50 HTTP/1.1\" 200 8120 "
              + UA,
          "10.20.1.15 - dr.house [01/Dec/2026:08:00:05 +0100] \"GET /fhir/Patient/pat-1001/Condition HTTP/1.1\" 200 20411 "
              + UA,
          "10.20.1.16 - nurse.joy [01/Dec/2026:08:01:00 +0100] \"POST /fhir/Observation HTTP/1.1\" 201 0 "
              + UA,
          "10.20.1.16 - nurse.joy [01/Dec/2026:08:01:10 +0100] \"PUT /fhir/Observation/obs-77 HTTP/1.1\" 200 911 "
              + UA,
          "10.20.1.17 - admin [01/Dec/2026:08:02:00 +0100] \"DELETE /fhir/Observation/obs-12 HTTP/1.1\" 204 0 "
              + UA,
          "10.20.1.18 - - [01/Dec/2026:08:02:30 +0100] \"GET /fhir/Patient/pat-2002 HTTP/1.1\" 401 143 "
              + UA,
          "10.20.1.15 - dr.house [01/Dec/2026:08:03:01 +0100] \"GET /fhir/Encounter/enc-404 HTTP/1.1\" 404 120 "
              + UA,
          "10.20.1.15 - dr.house [01/Dec/2026:08:03:02 +0100] \"GET /fhir/MedicationRequest?subject=Patient/pat-1001&status=active HTTP/1.1\" 200 3300 "
              + UA,
          "10.20.1.15 - dr.house [01/Dec/2026:08:03:03 +0100] \"GET /fhir/Patient/pat-1001/_history/3 HTTP/1.1\" 200 1398 "
              + UA,
          "10.20.1.15 - - [01/Dec/2026:08:03:04 +0100] \"GET /fhir/metadata HTTP/1.1\" 200 48213 "
              + UA,
          "10.20.1.19 - - [01/Dec/2026:08:03:30 +0100] \"GET /health HTTP/1.1\" 200 2 \"-\" \"kube-probe/1.30\"",
          "10.20.1.19 - - [01/Dec/2026:08:03:31 +0100] \"GET /fhir/ui/main.js HTTP/1.1\" 200 88123 \"-\" \"Mozilla/5.0\"",
          "10.20.1.20 - - [01/Dec/2026:08:04:00 +0100] \"GET /fhir/Patient?identifier=urn:oid:2.16.840.1.113883.19.5%7CMRN-1&access_token=eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzbWFydCJ9.c2lnbg HTTP/1.1\" 200 2100 \"-\" \"smart-app/1.0\"");

  private static final List<String> JSON_LINES =
      List.of(
          "{\"time_iso8601\":\"2026-12-01T08:10:00+01:00\",\"remote_addr\":\"10.30.0.2\",\"http_x_forwarded_for\":\"203.0.113.44\",\"request_method\":\"GET\",\"request_uri\":\"/fhir/Observation?patient=pat-1,pat-2\",\"status\":200,\"body_bytes_sent\":5120,\"request_id\":\"7d0c5e3f9a2b4c18b1e2f3a4b5c6d7e8\",\"jwt_sub\":\"clinician-42\",\"jwt_azp\":\"cardio-portal\",\"http_user_agent\":\"Mozilla/5.0\"}",
          "{\"time_iso8601\":\"2026-12-01T08:10:05+01:00\",\"remote_addr\":\"10.30.0.2\",\"request_method\":\"POST\",\"request_uri\":\"/fhir/Observation/_search\",\"status\":200,\"request_id\":\"0a1b2c3d4e5f60718293a4b5c6d7e8f9\",\"jwt_sub\":\"clinician-42\",\"jwt_azp\":\"cardio-portal\"}",
          "{\"time_iso8601\":\"2026-12-01T08:10:15+01:00\",\"remote_addr\":\"10.30.0.2\",\"request_method\":\"GET\",\"request_uri\":\"/fhir/Patient/pat-1/$everything\",\"status\":200,\"request_id\":\"2c3d4e5f60718293a4b5c6d7e8f90a1b\",\"jwt_sub\":\"clinician-42\",\"upstream_status\":\"200\"}",
          "{\"time_iso8601\":\"2026-12-01T08:10:20+01:00\",\"remote_addr\":\"10.30.0.2\",\"request_method\":\"PATCH\",\"request_uri\":\"/fhir/Observation/obs-9\",\"status\":500,\"request_id\":\"3d4e5f60718293a4b5c6d7e8f90a1b2c\"}");

  private static final List<String> ENVOY_LINES =
      List.of(
          "[2026-12-01T07:20:00.101Z] \"GET /fhir/Patient/pat-9/_history HTTP/1.1\" 200 - 0 3110 12 11 \"198.51.100.23\" \"HAPI-FHIR/8.8.1\" \"5c0f7e0a-9c2b-4d7e-8a41-0f6b1d2c3e4f\" \"fhir.hospital.example\" \"10.1.0.7:8080\"",
          "[2026-12-01T07:20:02.303Z] \"GET /fhir/Observation?patient=pat-9&code=8867-4 HTTP/2\" 200 - 0 9100 21 20 \"198.51.100.23\" \"HAPI-FHIR/8.8.1\" \"7e2b9a2c-1e4d-4f9a-8c63-2b8d3f4e5a6b\" \"fhir.hospital.example\" \"10.1.0.7:8080\"");

  record Line(byte[] bytes, AccessLogSource source) {}

  private final AccessLogConverter converter = new AccessLogConverter();
  private final LineOrigin origin =
      new LineOrigin("gw.hospital.example", "10.0.0.1:40000", java.time.Instant.now());
  private final Line[] mix = mix();
  private int next;

  static Line[] mix() {
    AccessLogSource combined = source("nginx", AccessLogFormat.COMBINED, JsonFieldMapping.DEFAULT);
    AccessLogSource json =
        source(
            "nginx-json",
            AccessLogFormat.JSON,
            new JsonFieldMapping("jwt_sub", "jwt_azp", null, null, null));
    AccessLogSource envoy = source("envoy", AccessLogFormat.ENVOY, JsonFieldMapping.DEFAULT);
    List<Line> lines = new ArrayList<>();
    COMBINED_LINES.forEach(l -> lines.add(new Line(bytes(l), combined)));
    JSON_LINES.forEach(l -> lines.add(new Line(bytes(l), json)));
    ENVOY_LINES.forEach(l -> lines.add(new Line(bytes(l), envoy)));
    return lines.toArray(Line[]::new);
  }

  private static AccessLogSource source(
      String name, AccessLogFormat format, JsonFieldMapping fields) {
    return new AccessLogSource(
        name,
        format,
        name + ".hospital.example",
        List.of("/fhir"),
        AccessLogSource.DEFAULT_DROP_PATHS,
        AccessLogSource.DEFAULT_DROP_EXTENSIONS,
        true,
        AccessLogSource.DEFAULT_SCRUB,
        fields);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Parse + convert + serialize one line of the mix. */
  @Benchmark
  public void mixToJson(Blackhole bh) {
    Line line = mix[next];
    next = next + 1 == mix.length ? 0 : next + 1;
    AccessLogConversion c = converter.convert(line.bytes(), line.source(), origin);
    if (c instanceof AccessLogConversion.Converted converted) {
      for (AuditEvent e : converted.events()) {
        bh.consume(Fhir.toJsonBytes(e));
      }
    } else {
      bh.consume(c);
    }
  }
}
