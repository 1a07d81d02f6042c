package org.atnabridge.accesslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.atnabridge.accesslog.Lines.combined;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.schemas.scrub.LineScrubber;
import org.hl7.fhir.r5.model.AuditEvent;
import org.junit.jupiter.api.Test;

/** Secrets never leave the converter; ids are derived from line and source. */
class ScrubAndIdTest {

  private static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.c2VjcmV0LXRva2Vu.c2lnbmF0dXJl";

  @Test
  void secretParameters_appearNowhereInTheEvent() {
    String line =
        "198.51.100.7 - - [01/Dec/2026:09:59:58 +0100] \"GET /Observation?patient=p1&access_token="
            + TOKEN
            + "&Code=authcode1&API%5Fkey=k3y&password=pw1 HTTP/1.1\" 200 5"
            + " \"https://app.example/cb?code=authcode1&access_token="
            + TOKEN
            + "\" \"curl\"";
    List<AuditEvent> events = Lines.events(line);
    for (AuditEvent e : events) {
      String json = Fhir.toJson(e);
      String decodedQueries =
          e.getEntity().stream()
              .filter(en -> en.hasQuery())
              .map(en -> new String(en.getQuery(), StandardCharsets.UTF_8))
              .reduce("", String::concat);
      for (String secret : List.of(TOKEN, "authcode1", "k3y", "pw1")) {
        assertThat(json).doesNotContain(secret);
        assertThat(decodedQueries).doesNotContain(secret);
        assertThat(json)
            .doesNotContain(
                Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8)));
      }
      assertThat(decodedQueries).contains("access_token=REDACTED").contains("patient=p1");
    }
  }

  @Test
  void lineScrubber_masksPercentEncodedNames_asTheServerDecodesThem() {
    String line = "GET /x?API%5Fkey=k3y&%61ccess%5ftoken=t0k&keep=2";
    assertThat(LineScrubber.scrub(line, AccessLogSource.DEFAULT_SCRUB))
        .isEqualTo("GET /x?API%5Fkey=REDACTED&%61ccess%5ftoken=REDACTED&keep=2");
    assertThat(LineScrubber.count(line, AccessLogSource.DEFAULT_SCRUB)).isEqualTo(2);
  }

  @Test
  void lineScrubber_masksEveryListedParameter_andCountsThem() {
    String line = "GET /x?access_token=abc&code=1&keep=2 \"ref?password=p\"";
    assertThat(LineScrubber.scrub(line, AccessLogSource.DEFAULT_SCRUB))
        .isEqualTo("GET /x?access_token=REDACTED&code=REDACTED&keep=2 \"ref?password=REDACTED\"");
    assertThat(LineScrubber.count(line, AccessLogSource.DEFAULT_SCRUB)).isEqualTo(3);
    assertThat(LineScrubber.scrub(line, Set.of("keep"))).contains("keep=REDACTED").contains("abc");
  }

  @Test
  void queryScrubber_catchesPercentEncodedNames() {
    assertThat(QueryScrubber.scrub("/a?x=1&access%5Ftoken=t&y=2", Set.of("access_token")))
        .isEqualTo("/a?x=1&access%5Ftoken=REDACTED&y=2");
    assertThat(QueryScrubber.scrub("/a?x=1", Set.of("access_token"))).isEqualTo("/a?x=1");
  }

  @Test
  void sameLineAndSource_sameId_otherSource_otherId() {
    String line = combined("GET", "/Patient/1", 200);
    String id = Lines.events(line).get(0).getIdPart();
    assertThat(Lines.events(line).get(0).getIdPart()).isEqualTo(id);
    assertThat(Lines.events(line + "\r\n").get(0).getIdPart()).isEqualTo(id);
    AccessLogSource other =
        new AccessLogSource(
            "other",
            AccessLogFormat.COMBINED,
            null,
            List.of("/"),
            List.of(),
            Set.of(),
            false,
            AccessLogSource.DEFAULT_SCRUB,
            JsonFieldMapping.DEFAULT);
    assertThat(Lines.events(line, other).get(0).getIdPart()).isNotEqualTo(id);
    assertThat(Lines.events(combined("GET", "/Patient/2", 200)).get(0).getIdPart())
        .isNotEqualTo(id);
  }

  @Test
  void sameLine_scrubbedOrNot_sameId() {
    String raw = combined("GET", "/Patient/1?access_token=" + TOKEN, 200);
    String scrubbed = LineScrubber.scrub(raw, AccessLogSource.DEFAULT_SCRUB);
    assertThat(Lines.events(raw).get(0).getIdPart())
        .isEqualTo(Lines.events(scrubbed).get(0).getIdPart());
  }
}
