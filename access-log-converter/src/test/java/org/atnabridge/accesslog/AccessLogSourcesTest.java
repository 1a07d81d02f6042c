package org.atnabridge.accesslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The sources file: typed, validated at load, every bad setting named. */
class AccessLogSourcesTest {

  @Test
  void fullSource_isRead() {
    AccessLogSources s =
        AccessLogSources.parse(
            """
            sources:
              - name: gw
                format: json
                observer: gw.example.org
                base-paths: [/fhir/, /r5]
                drop:
                  paths: [/status]
                  extensions: [js]
                trust-forwarded-for: true
                scrub-parameters: [access_token, Session]
                json-fields: {user: jwt_sub, client-id: azp, request-id: rid, forwarded-for: xff, upstream-status: us}
              - name: plain
                format: combined
            """);
    AccessLogSource gw = s.get("gw");
    assertThat(gw).isNotNull();
    assertThat(gw.format()).isEqualTo(AccessLogFormat.JSON);
    assertThat(gw.observer()).isEqualTo("gw.example.org");
    assertThat(gw.basePaths()).containsExactly("/fhir", "/r5");
    assertThat(gw.dropPaths()).containsExactly("/status");
    assertThat(gw.dropExtensions()).containsExactly(".js");
    assertThat(gw.trustForwardedFor()).isTrue();
    assertThat(gw.scrubParameters()).containsExactlyInAnyOrder("access_token", "session");
    assertThat(gw.jsonFields())
        .isEqualTo(new JsonFieldMapping("jwt_sub", "azp", "rid", "xff", "us"));
    AccessLogSource plain = s.get("plain");
    assertThat(plain).isNotNull();
    assertThat(plain.basePaths()).containsExactly("/");
    assertThat(plain.scrubParameters()).isEqualTo(AccessLogSource.DEFAULT_SCRUB);
    assertThat(plain.dropPaths()).isEqualTo(AccessLogSource.DEFAULT_DROP_PATHS);
    assertThat(s.byName().keySet()).containsExactly("gw", "plain");
  }

  @Test
  void defaultSource_readsCombined_everyPath() {
    AccessLogSource d = AccessLogSource.defaults();
    assertThat(d.format()).isEqualTo(AccessLogFormat.COMBINED);
    assertThat(d.basePaths()).containsExactly("/");
    assertThat(d.name()).isEqualTo("default");
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = ';',
      value = {
        "sources: [{name: a, format: apache-custom}]; sources[0].format: unknown access log format 'apache-custom'",
        "sources: [{format: combined}]; sources[0].name: required",
        "sources: [{name: a}]; sources[0].format: required",
        "sources: [{name: a, format: combined, colour: red}]; sources[0].colour: unknown setting",
        "sources: [{name: a, format: combined, base-paths: fhir}]; sources[0].base-paths: a list is expected",
        "sources: [{name: a, format: combined, base-paths: [fhir]}]; sources[0]: path prefix 'fhir' must start with /",
        "sources: [{name: a, format: combined, trust-forwarded-for: maybe}]; sources[0].trust-forwarded-for: true or false",
        "sources: [{name: a, format: json, json-fields: {usr: x}}]; sources[0].json-fields.usr: unknown setting",
        "sources: [{name: a, format: combined, drop: {paths: [/x], files: []}}]; sources[0].drop.files: unknown setting",
        "sources: [{name: a, format: combined}, {name: a, format: common}]; sources[1].name: 'a' is declared twice",
        "sources: []; sources: a non-empty list is expected",
        "other: 1; other: unknown setting",
        "'sources: [unclosed'; not valid YAML",
      })
  void badSetting_isNamed(String yaml, String message) {
    assertThatThrownBy(() -> AccessLogSources.parse(yaml))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void sourceList_isUnmodifiable() {
    AccessLogSources s = AccessLogSources.parse("sources: [{name: a, format: common}]");
    assertThatThrownBy(() -> s.byName().clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThat(List.copyOf(s.byName().values())).hasSize(1);
  }
}
