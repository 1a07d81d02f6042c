package org.atnabridge.accesslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.atnabridge.accesslog.AccessLogConversion.Failed;
import org.hl7.fhir.r5.model.AuditEvent;
import org.junit.jupiter.api.Test;

/** Lines in an arbitrary LogFormat / log_format string, read by the httpdlog parser. */
class CustomFormatTest {

  @Test
  void apacheLogFormat_withRequestIdHeader() {
    AccessLogSource s =
        AccessLogSource.custom("%a %l %u %t \"%r\" %>s %b \"%{X-Request-Id}i\" \"%{Host}i\"");
    AuditEvent e =
        Lines.events(
                "10.1.2.3 - carol [10/Oct/2026:13:55:36 -0700] \"GET /Patient/9/Observation?code=x HTTP/1.1\" 200 2326 \"req-77\" \"fhir.example\"",
                s)
            .get(0);
    assertThat(e.getCode().getCodingFirstRep().getCode()).isEqualTo("search-compartment");
    assertThat(e.getRecorded().toInstant()).isEqualTo(Instant.parse("2026-10-10T20:55:36Z"));
    assertThat(e.getPatient().getReference()).isEqualTo("Patient/9");
    assertThat(e.getAgent().get(2).getWho().getIdentifier().getValue()).isEqualTo("carol");
    assertThat(e.getAgent().get(1).getNetworkStringType().getValue()).isEqualTo("fhir.example");
    assertThat(e.getEntity())
        .anySatisfy(en -> assertThat(en.getWhat().getIdentifier().getValue()).isEqualTo("req-77"));
  }

  @Test
  void nginxLogFormat_withRequestIdAndForwardedFor() {
    AccessLogSource s =
        AccessLogSource.custom(
            "$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent"
                + " \"$http_referer\" \"$http_user_agent\" $request_id \"$http_x_forwarded_for\"");
    AuditEvent e =
        Lines.events(
                "10.0.0.1 - - [01/Dec/2026:08:00:00 +0100] \"DELETE /Observation/5 HTTP/1.1\" 204 0 \"-\" \"curl\" abc123 \"203.0.113.1\"",
                s)
            .get(0);
    assertThat(e.getCode().getCodingFirstRep().getCode()).isEqualTo("delete");
    assertThat(e.getAgent().get(0).getType().getCodingFirstRep().getCode()).isEqualTo("110150");
    assertThat(e.getEntity())
        .anySatisfy(en -> assertThat(en.getWhat().getIdentifier().getValue()).isEqualTo("abc123"));
  }

  @Test
  void hexRunAsClientAddress_failsMalformedWithoutReachingTheBacktrackingExpression() {
    // found by AccessLogConverterFuzzTest: httpdlog's address expression took minutes on this line
    AccessLogSource s = AccessLogSource.custom("%a %l %u %t \"%r\" %>s %b \"%{Referer}i\"");
    String line =
        "10.20CCCCCCCCCCCCCCCCCCCCCCCC.1.15 - dr.house [01/Dec/1013:08:03:00 +0100]"
            + " \"GET /fhir/Ensounter/enc-4 HTTP/1.1\" 500 87 \"-\"= \"HAPI-FHIR/8.8.1\"";
    assertThat(Lines.convert(line, s))
        .isInstanceOfSatisfying(
            Failed.class, f -> assertThat(f.reason()).isEqualTo(FailureReason.MALFORMED));
    for (String client : List.of("10.0.0.1", "2001:db8::7", "::ffff:10.1.1.7", "-")) {
      assertThat(
              Lines.convert(
                  client
                      + " - - [01/Dec/2026:08:00:00 +0100] \"GET /fhir/Patient/1 HTTP/1.1\" 200 1 \"-\"",
                  s))
          .as(client)
          .isInstanceOf(AccessLogConversion.Converted.class);
    }
  }

  @Test
  void nearMissAfterAValidAddress_isRefusedByTheStepBudget_inEveryTokenPosition() {
    // found by AccessLogConverterFuzzTest: a valid address, then a digit run where %l is expected;
    // httpdlog's address expression lets "." take the space and backtracks exponentially
    String nearMiss =
        "10.20.1.19 88888888888888888888888888888888888888888888888888888888888888888- - [01/De//2026:0/health"
            + " +0100] \"GET /fhir/ui/main.js HTTP/1.1\" 199 88126 \"tps/:th/fhir-gw.hospital.example/5.0\"";
    for (String format :
        List.of(
            "%a %l %u %t \"%r\" %>s %b \"%{X-Request-Id}i\" \"%{Host}i\"",
            // the address not first: no leading-address check protects it
            "%l %a %u %t \"%r\" %>s %b \"%{Referer}i\"",
            "$remote_user $remote_addr - [$time_local] \"$request\" $status $body_bytes_sent")) {
      assertThat(Lines.convert(nearMiss, AccessLogSource.custom(format)))
          .as(format)
          .isInstanceOfSatisfying(
              Failed.class, f -> assertThat(f.reason()).isEqualTo(FailureReason.MALFORMED));
    }
  }

  @Test
  void stepBudget_stopsACatastrophicExpression_andPassesAnOrdinaryLine() {
    LineExpressionGuard guard =
        LineExpressionGuard.of("%a %l %u %t \"%r\" %>s %b \"%{X-Request-Id}i\" \"%{Host}i\"");
    assertThat(
            guard.check(
                "10.20.1.19 8888888888888888888888888888888888888888888888888888888- - [01/De//2026:0/x +0100]"
                    + " \"GET / HTTP/1.1\" 1 2 \"a\""))
        .isEqualTo(LineExpressionGuard.Verdict.TOO_COMPLEX);
    assertThat(
            guard.check(
                "10.1.2.3 - carol [10/Oct/2026:13:55:36 -0700] \"GET /Patient/9 HTTP/1.1\" 200 2326"
                    + " \"req-77\" \"fhir.example\""))
        .isEqualTo(LineExpressionGuard.Verdict.MATCHES);
    assertThat(guard.check("not a line")).isEqualTo(LineExpressionGuard.Verdict.NO_MATCH);
  }

  @Test
  void lineNotInTheFormat_failsMalformed() {
    AccessLogSource s = AccessLogSource.custom("%h %l %u %t \"%r\" %>s %b");
    assertThat(Lines.convert("this is not an access log line", s))
        .isInstanceOfSatisfying(
            Failed.class, f -> assertThat(f.reason()).isEqualTo(FailureReason.MALFORMED));
  }

  @Test
  void formatWithoutRequestOrStatus_isRefusedAtLoad() {
    assertThatThrownBy(() -> AccessLogSource.custom("%h %t"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("log-format:");
    assertThatThrownBy(() -> AccessLogSources.parse("sources: [{name: a, format: custom}]"))
        .hasMessageStartingWith("sources[0]: log-format:");
    AccessLogSources ok =
        AccessLogSources.parse(
            "sources: [{name: a, format: custom, log-format: '%h %l %u %t \"%r\" %>s %b'}]");
    assertThat(ok.get("a")).isNotNull();
  }
}
