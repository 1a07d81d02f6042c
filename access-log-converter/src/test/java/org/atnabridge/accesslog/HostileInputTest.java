package org.atnabridge.accesslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.atnabridge.accesslog.Lines.combined;
import static org.atnabridge.accesslog.Lines.convert;

import java.nio.charset.StandardCharsets;
import org.atnabridge.accesslog.AccessLogConversion.Dropped;
import org.atnabridge.accesslog.AccessLogConversion.Failed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Hostile and broken lines: each one gives a typed result, none throws. */
class HostileInputTest {

  @Test
  void overlongLine_failsTooLong() {
    String line = combined("GET", "/Observation?code=" + "x".repeat(20_000), 200);
    assertThat(convert(line)).isEqualTo(failed(FailureReason.TOO_LONG, line.length()));
    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    assertThat(Lines.CONVERTER.convert(bytes, Lines.COMBINED, Lines.ORIGIN))
        .isInstanceOfSatisfying(
            Failed.class, f -> assertThat(f.reason()).isEqualTo(FailureReason.TOO_LONG));
  }

  private static Failed failed(FailureReason reason, int length) {
    return new Failed(reason, length + " chars, the limit is 16384");
  }

  @Test
  void invalidUtf8_failsInvalidUtf8() {
    byte[] line = combined("GET", "/Observation/1", 200).getBytes(StandardCharsets.UTF_8);
    line[30] = (byte) 0xC3;
    line[31] = (byte) 0x28; // C3 28: a lead byte without its continuation
    assertThat(Lines.CONVERTER.convert(line, Lines.COMBINED, Lines.ORIGIN))
        .isEqualTo(new Failed(FailureReason.INVALID_UTF8, ""));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = ';',
      value = {
        "198.51.100.7 - - [01/Dec/2026:09:59:58 +0100] \"GET /Observation/1 HTT; TRUNCATED",
        "198.51.100.7 - - [01/Dec/2026:09:5; TRUNCATED",
        "198.51.100.7 - - [01/Dec/2026:09:59:58 +0100] \"GET /Observation/1 HTTP/1.1\" 200; TRUNCATED",
        "198.51.100.7 - - [yesterday] \"GET /Observation/1 HTTP/1.1\" 200 5 \"-\" \"-\"; MALFORMED",
        "198.51.100.7 - - [01/Dec/2026:09:59:58 +0100] \"GET /Observation/1 HTTP/1.1\" 2xx 5 \"-\" \"-\"; MALFORMED",
        "198.51.100.7 - - [01/Dec/2026:09:59:58 +0100] \"GET /Observation/1 HTTP/1.1\" 999 5 \"-\" \"-\"; MALFORMED",
        "198.51.100.7 - - [01/Dec/2026:09:59:58 +0100] \"GET /Patient/1%00 HTTP/1.1\" 200 5 \"-\" \"-\"; UNSAFE_PATH",
        "198.51.100.7 - - [01/Dec/2026:09:59:58 +0100] \"GET /Patient/../etc/passwd HTTP/1.1\" 200 5 \"-\" \"-\"; UNSAFE_PATH",
        "198.51.100.7 - - [01/Dec/2026:09:59:58 +0100] \"GET /Patient/%2e%2e/x HTTP/1.1\" 200 5 \"-\" \"-\"; UNSAFE_PATH",
        "198.51.100.7 - - [01/Dec/2026:09:59:58 +0100] \"GET /Patient/\\x00 HTTP/1.1\" 200 5 \"-\" \"-\"; UNSAFE_PATH",
        "198.51.100.7 - - [01/Dec/2026:09:59:58 +0100] \"GET /Patient/%zz HTTP/1.1\" 200 5 \"-\" \"-\"; UNSAFE_PATH",
        " ; EMPTY",
      })
  void brokenTextLine_failsWithItsReason(String line, FailureReason reason) {
    assertThat(convert(line == null ? "" : line))
        .isInstanceOfSatisfying(Failed.class, f -> assertThat(f.reason()).isEqualTo(reason));
  }

  @Test
  void jsonBomb_failsOnTheDepthLimit_fast() {
    String bomb = "{\"status\":200,\"x\":" + "[".repeat(5_000) + "]".repeat(5_000) + "}";
    assertThat(convert(bomb, Lines.source(AccessLogFormat.JSON)))
        .isInstanceOfSatisfying(
            Failed.class, f -> assertThat(f.reason()).isEqualTo(FailureReason.JSON_LIMIT));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = ';',
      value = {
        "{\"status\":200,\"request_uri\":\"/Patient/1\",\"request_method\":\"GE; TRUNCATED",
        "[1,2,3]; JSON_MALFORMED",
        "{\"status\":200} trailing; JSON_MALFORMED",
        "{\"request_uri\":\"/Patient/1\"}; TRUNCATED",
        "not json at all; JSON_MALFORMED",
      })
  void brokenJsonLine_failsWithItsReason(String line, FailureReason reason) {
    assertThat(convert(line, Lines.source(AccessLogFormat.JSON)))
        .isInstanceOfSatisfying(Failed.class, f -> assertThat(f.reason()).isEqualTo(reason));
  }

  @Test
  void tooManyFields_inJson_failsOnTheLimit() {
    StringBuilder b = new StringBuilder("{\"status\":200");
    for (int i = 0; i < 200; i++) {
      b.append(",\"f").append(i).append("\":1");
    }
    assertThat(convert(b.append('}').toString(), Lines.source(AccessLogFormat.JSON)))
        .isInstanceOfSatisfying(
            Failed.class, f -> assertThat(f.reason()).isEqualTo(FailureReason.JSON_LIMIT));
  }

  @Test
  void tooManyPatients_fails_insteadOfMakingAnEventEach() {
    StringBuilder ids = new StringBuilder("p0");
    for (int i = 1; i <= 150; i++) {
      ids.append(",p").append(i);
    }
    assertThat(convert(combined("GET", "/Observation?patient=" + ids, 200)))
        .isInstanceOfSatisfying(
            Failed.class, f -> assertThat(f.reason()).isEqualTo(FailureReason.TOO_MANY_PATIENTS));
  }

  @Test
  void failureDetail_neverRepeatsTheLine() {
    String line =
        "198.51.100.7 - - [01/Dec/2026:09:59:58 +0100] \"GET /Patient/1?access_token=s3cr3t-t0ken HTT";
    AccessLogConversion c = convert(line);
    assertThat(c.toString()).doesNotContain("s3cr3t").doesNotContain("/Patient");
  }

  @ParameterizedTest(name = "{0} {1} → {2}")
  @CsvSource({
    "GET,     /health,                     DROP_PATH",
    "GET,     /metrics,                    DROP_PATH",
    "GET,     /healthz/ready,              DROP_PATH",
    "GET,     /favicon.ico,                DROP_PATH",
    "GET,     /ui/app.js,                  STATIC_FILE",
    "GET,     /static/site.CSS,            STATIC_FILE",
    "OPTIONS, /Patient/1,                  NOT_AN_INTERACTION_METHOD",
    "CONNECT, example.org:443,             NOT_AN_INTERACTION_METHOD",
    "GET,     /patient/1,                  NOT_AN_INTERACTION",
    "POST,    /Patient/1,                  NOT_AN_INTERACTION",
    "GET,     /Patient/1/2/3/4/5,          NOT_AN_INTERACTION",
    "PUT,     /metadata,                   NOT_AN_INTERACTION",
  })
  void notAnInteraction_isDroppedWithItsReason(String method, String target, DropReason reason) {
    assertThat(convert(combined(method, target, 200))).isEqualTo(new Dropped(reason));
  }

  @Test
  void requestNginxCouldNotRead_isDropped() {
    String line = "198.51.100.7 - - [01/Dec/2026:09:59:58 +0100] \"-\" 400 0 \"-\" \"-\"";
    assertThat(convert(line)).isEqualTo(new Dropped(DropReason.NOT_AN_INTERACTION_METHOD));
    String tls =
        "198.51.100.7 - - [01/Dec/2026:09:59:58 +0100] \"\\x16\\x03\\x01\\x02\\x00\\x01\" 400 0 \"-\" \"-\"";
    assertThat(convert(tls)).isEqualTo(new Dropped(DropReason.NOT_AN_INTERACTION_METHOD));
  }

  @Test
  void outsideTheBasePaths_isDropped() {
    AccessLogSource fhirOnly =
        new AccessLogSource(
            "fhir",
            AccessLogFormat.COMBINED,
            null,
            java.util.List.of("/fhir/"),
            AccessLogSource.DEFAULT_DROP_PATHS,
            AccessLogSource.DEFAULT_DROP_EXTENSIONS,
            false,
            AccessLogSource.DEFAULT_SCRUB,
            JsonFieldMapping.DEFAULT);
    assertThat(convert(combined("GET", "/admin/Patient/1", 200), fhirOnly))
        .isEqualTo(new Dropped(DropReason.OUTSIDE_BASE));
    assertThat(convert(combined("GET", "/fhirx/Patient/1", 200), fhirOnly))
        .isEqualTo(new Dropped(DropReason.OUTSIDE_BASE));
    assertThat(
            Lines.events(combined("GET", "/fhir/Patient/1", 200), fhirOnly)
                .get(0)
                .getCode()
                .getCodingFirstRep()
                .getCode())
        .isEqualTo("read");
    assertThat(
            Lines.events(combined("GET", "/fhir?_type=Patient", 200), fhirOnly)
                .get(0)
                .getCode()
                .getCodingFirstRep()
                .getCode())
        .isEqualTo("search-system");
  }
}
