package org.atnabridge.search.selfaudit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestScrubberTest {

  private final RequestScrubber scrubber = RequestScrubber.DEFAULT;

  @Test
  void credentialValues_areRedacted_inEverySpelling() {
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("_count=1&access_token=abc", "_count=1&access_token=redacted");
    cases.put("ACCESS_TOKEN=abc", "ACCESS_TOKEN=redacted");
    cases.put("access%5Ftoken=abc&x=1", "access%5Ftoken=redacted&x=1");
    cases.put("password:exact=abc", "password:exact=redacted");
    cases.put(
        "code=abc&client_secret=def&api_key=g&id_token=h&refresh_token=i",
        "code=redacted&client_secret=redacted&api_key=redacted&id_token=redacted&refresh_token=redacted");
    cases.put("patient=Patient/p1&_id=x", "patient=Patient/p1&_id=x");
    cases.put("password", "password=redacted");
    cases.put("a=1%0A2026 INFO forged\n", "a=1%0A2026 INFO forged\\n");
    cases.forEach((raw, recorded) -> assertThat(scrubber.query(raw)).as(raw).isEqualTo(recorded));
  }

  @Test
  void decodedParameters_areFormEncoded_credentialsRedacted() {
    Map<String, String[]> params = new LinkedHashMap<>();
    params.put("patient:identifier", new String[] {"urn:oid:1.2.3|p1"});
    params.put("Password", new String[] {"abc", "def"});
    assertThat(scrubber.parameters(params))
        .isEqualTo(
            "patient%3Aidentifier=urn%3Aoid%3A1.2.3%7Cp1&Password=redacted&Password=redacted");
    assertThat(scrubber.parameters(Map.of())).isNull();
  }

  @Test
  void onlyAllowListedHeaders_areKept() {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (String secret :
        List.of(
            "Authorization",
            "Cookie",
            "X-Auth-Token",
            "X-Forwarded-Authorization",
            "X-Amz-Security-Token",
            "Proxy-Authorization",
            "X-Api-Key",
            "Referer",
            "X-Anything-New")) {
      headers.put(secret, List.of("s3cret"));
    }
    headers.put("Accept", List.of("application/fhir+json"));
    headers.put("User-Agent", List.of("curl\r\nX-Forged: 1"));
    assertThat(RequestScrubber.headers(headers))
        .containsOnlyKeys("Accept", "User-Agent")
        .containsEntry("User-Agent", List.of("curl\\r\\nX-Forged: 1"));
  }

  @Test
  void theListIsConfigurable_andValidated() {
    RequestScrubber custom = new RequestScrubber(List.of("session"));
    assertThat(custom.query("session=1&password=2")).isEqualTo("session=redacted&password=2");
    assertThatThrownBy(() -> new RequestScrubber(List.of()))
        .hasMessageContaining("--credential-query-params");
    assertThatThrownBy(() -> new RequestScrubber(List.of("a=b")))
        .hasMessageContaining("--credential-query-params");
  }

  @Test
  void hasParameter_ignoresCaseAndEncoding() {
    assertThat(RequestScrubber.hasParameter("x=1&Access%5Ftoken=2", "access_token")).isTrue();
    assertThat(RequestScrubber.hasParameter("x=access_token", "access_token")).isFalse();
    assertThat(RequestScrubber.hasParameter(null, "access_token")).isFalse();
  }

  @Test
  void controlCharacters_becomeVisibleEscapes() {
    assertThat(ControlCharacters.escape("a\nb\rc\td\u0000e\u007f\u0085\u2028f"))
        .isEqualTo("a\\nb\\rc\\td\\u0000e\\u007f\\u0085\\u2028f");
    assertThat(ControlCharacters.escape("plain ü text")).isEqualTo("plain ü text");
  }
}
