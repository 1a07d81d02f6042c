package org.atnabridge.schemas.alert;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AlertJsonTest {

  static Alert sample() {
    return new Alert(
        "a1b2",
        new Alert.RuleRef("login-failures", "Repeated login failures", "threshold", "medium", null),
        "urn:oid:1.2.3|jdoe",
        Instant.parse("2026-12-01T08:04:00Z"),
        Instant.parse("2026-12-01T08:04:01.250Z"),
        Instant.parse("2026-12-01T08:00:00Z"),
        Instant.parse("2026-12-01T08:05:00Z"),
        false,
        5,
        List.of("AuditEvent/e1", "AuditEvent/e2"),
        List.of(new Alert.Party(null, "urn:oid:1.2.3", "jdoe", "J. Doe")),
        List.of(new Alert.Party("Patient/7", null, null, null)),
        "5 failed logins of jdoe within 5m",
        List.of("soc-webhook"),
        "AuditEvent/alert-a1b2");
  }

  @Test
  void roundTrip_keepsEveryField_andOmitsNulls() throws Exception {
    byte[] json = AlertJson.write(sample());
    assertThat(AlertJson.read(json)).isEqualTo(sample());
    JsonNode tree = new ObjectMapper().readTree(json);
    assertThat(tree.get("version").asInt()).isEqualTo(1);
    assertThat(tree.get("rule").has("description")).isFalse();
    assertThat(tree.get("firedAt").asText()).isEqualTo("2026-12-01T08:04:00Z");
  }

  @Test
  void everyWrittenField_isDeclaredInTheSchema_andTheRequiredOnesAreWritten() throws Exception {
    JsonNode schema;
    try (InputStream in = AlertJson.class.getResourceAsStream("alert-v1.schema.json")) {
      assertThat(in).isNotNull();
      schema = new ObjectMapper().readTree(in);
    }
    JsonNode written = new ObjectMapper().readTree(AlertJson.write(sample()));
    Set<String> declared = new HashSet<>();
    schema.get("properties").fieldNames().forEachRemaining(declared::add);
    Set<String> names = new HashSet<>();
    written.fieldNames().forEachRemaining(names::add);
    assertThat(declared).containsAll(names);
    schema.get("required").forEach(r -> assertThat(names).contains(r.asText()));
  }

  @Test
  void read_refusesOtherVersionsAndMissingFields_namingThem() {
    assertThatThrownBy(() -> AlertJson.read("{\"version\":2}".getBytes(UTF_8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("version");
    assertThatThrownBy(() -> AlertJson.read("{\"version\":1,\"rule\":{}}".getBytes(UTF_8)))
        .hasMessageContaining("id");
    assertThatThrownBy(() -> AlertJson.read("[".getBytes(UTF_8))).hasMessage("not JSON");
  }
}
