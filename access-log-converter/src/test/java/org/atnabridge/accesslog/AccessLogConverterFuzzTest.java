package org.atnabridge.accesslog;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.atnabridge.accesslog.AccessLogConversion.Converted;
import org.atnabridge.accesslog.AccessLogConversion.Dropped;
import org.atnabridge.accesslog.AccessLogConversion.Failed;
import org.hl7.fhir.r5.model.AuditEvent;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzzes the access log line parser and converter with arbitrary lines, each read in every format
 * (combined, common, JSON, Envoy, Envoy JSON and an Apache LogFormat string). Seeds: every line of
 * the golden access logs and {@code AccessLogConverterFuzzTestInputs/convert}. Properties: every
 * line gives Converted, Dropped or Failed and never throws; no Failed hides a defect (the
 * converter's catch-all "unexpected" reason); a Converted line gives one to {@code maxPatients}
 * events with distinct ids; a line over the limit is TOO_LONG; and the octet and the text entry
 * points agree on every line that is valid UTF-8.
 */
class AccessLogConverterFuzzTest {

  private static final AccessLogLimits LIMITS = new AccessLogLimits(2048, 4, 64, 8);
  private static final AccessLogConverter CONVERTER = new AccessLogConverter(LIMITS);
  private static final LineOrigin ORIGIN =
      new LineOrigin("syslog-host", "10.9.8.7", Instant.parse("2026-12-01T08:00:00Z"));
  private static final List<AccessLogSource> SOURCES =
      List.of(
          AccessLogSource.defaults(AccessLogFormat.COMBINED),
          AccessLogSource.defaults(AccessLogFormat.COMMON),
          AccessLogSource.defaults(AccessLogFormat.JSON),
          AccessLogSource.defaults(AccessLogFormat.ENVOY),
          AccessLogSource.defaults(AccessLogFormat.ENVOY_JSON),
          AccessLogSource.custom("%a %l %u %t \"%r\" %>s %b \"%{X-Request-Id}i\" \"%{Host}i\""));

  static Stream<Arguments> goldenLines() throws IOException {
    Path golden = Path.of("src/test/resources/golden");
    try (Stream<Path> files = Files.list(golden)) {
      return files
          .filter(p -> p.toString().endsWith(".log") || p.toString().endsWith(".ndjson"))
          .sorted()
          .flatMap(AccessLogConverterFuzzTest::lines)
          .map(l -> Arguments.of((Object) l.getBytes(UTF_8)))
          .toList()
          .stream();
    }
  }

  @MethodSource("goldenLines")
  @FuzzTest(maxDuration = "60s")
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void convert(byte[] line) {
    String text = utf8(line);
    for (AccessLogSource source : SOURCES) {
      AccessLogConversion octets = CONVERTER.convert(line, source, ORIGIN);
      check(octets, line);
      if (text != null && line.length <= LIMITS.maxLineBytes()) {
        assertThat(summary(CONVERTER.convert(text, source, ORIGIN)))
            .as("text and octet entry points agree (%s)", source.format())
            .isEqualTo(summary(octets));
      }
    }
  }

  private static void check(AccessLogConversion c, byte[] line) {
    switch (c) {
      case Failed f -> {
        assertThat(f.detail()).as("a defect behind %s", f).doesNotStartWith("unexpected");
        if (stripped(line) > LIMITS.maxLineBytes()) {
          assertThat(f.reason()).isEqualTo(FailureReason.TOO_LONG);
        }
      }
      case Converted v -> {
        assertThat(v.events()).hasSizeBetween(1, LIMITS.maxPatients());
        assertThat(v.events().stream().map(AuditEvent::getId).distinct())
            .hasSize(v.events().size());
      }
      case Dropped d -> assertThat(d.reason()).isNotNull();
    }
  }

  private static String summary(AccessLogConversion c) {
    return switch (c) {
      case Failed f -> "failed " + f.reason();
      case Dropped d -> "dropped " + d.reason();
      case Converted v -> "converted " + v.events().stream().map(AuditEvent::getId).toList();
    };
  }

  /** Length without the trailing CR/LF the converter ignores. */
  private static int stripped(byte[] line) {
    int end = line.length;
    while (end > 0 && (line[end - 1] == '\n' || line[end - 1] == '\r')) {
      end--;
    }
    return end;
  }

  private static String utf8(byte[] line) {
    try {
      return UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(line))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static Stream<String> lines(Path p) {
    try {
      return Files.readAllLines(p, UTF_8).stream().filter(l -> !l.isBlank());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
