package org.atnabridge.allinone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.schemas.vocab.Extensions;
import org.atnabridge.testing.GoldenJson;
import org.hl7.fhir.r5.model.AuditEvent;

/**
 * The hand-reviewed AuditEvents of the nginx acceptance traffic (README beside the golden file):
 * each event as stored, less what differs from run to run or between the two ways the log arrives
 * (id, times, chain, where it is stored, the observer, the source name and line, the correlation
 * id's value), grouped by request. {@code -Dgolden.update=true} rewrites the file, which then needs
 * a new review.
 */
final class AccessLogGolden {

  static final Path FILE = Path.of("src/test/resources/accesslog/nginx-interactions.json");

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Extensions whose values are run-specific; kept as present, value dropped. */
  private static final Set<String> VARYING_EXTENSIONS =
      Set.of(
          Extensions.CHAIN,
          Extensions.RAW_RECORD,
          Extensions.ACCESS_LOG_SOURCE,
          Extensions.ACCESS_LOG_LINE,
          Extensions.CORRELATION_ID,
          Extensions.RAW_RECEIPT);

  private AccessLogGolden() {}

  /** Request key ({@code GET /fhir/Patient/p1}) → its normalised events, sorted. */
  static ObjectNode normalise(List<AuditEvent> events) throws IOException {
    Map<String, List<JsonNode>> byRequest = new TreeMap<>();
    for (AuditEvent event : events) {
      ObjectNode json = (ObjectNode) JSON.readTree(Fhir.toJson(event));
      byRequest.computeIfAbsent(requestOf(event), k -> new ArrayList<>()).add(strip(json));
    }
    ObjectNode out = JSON.createObjectNode();
    byRequest.forEach(
        (request, list) -> {
          list.sort(Comparator.comparing(JsonNode::toString));
          ArrayNode array = out.putArray(request);
          list.forEach(array::add);
        });
    return out;
  }

  /** Method and target of the line the event came from. */
  static String requestOf(AuditEvent event) {
    String line = event.getExtensionByUrl(Extensions.ACCESS_LOG_LINE).getValue().primitiveValue();
    int open = line.indexOf('"');
    int close = line.indexOf(" HTTP/", open);
    return line.substring(open + 1, close);
  }

  private static JsonNode strip(ObjectNode event) {
    // the logging server is the observer and an agent: its name differs between the two copies
    // (syslog HOSTNAME, HTTP peer address), and so does the network class enrichment gives an IP
    String observer =
        event
            .path("source")
            .path("observer")
            .path("identifier")
            .path("value")
            .asText(event.path("source").path("observer").path("display").asText(""));
    // the server agent follows the client's (the client may have the same address: loopback)
    ObjectNode server = null;
    for (JsonNode agent : event.path("agent")) {
      if (!observer.isEmpty()
          && observer.equals(agent.path("who").path("identifier").path("value").asText())) {
        server = (ObjectNode) agent;
      }
    }
    if (server != null) {
      ((ObjectNode) server.get("who").get("identifier")).put("value", "{observer}");
      if (server.has("networkString")) {
        server.put("networkString", "{observer}");
      }
      server.remove("extension");
    }
    event.remove(List.of("id", "recorded", "occurredDateTime", "occurredPeriod"));
    if (event.has("meta")) {
      ((ObjectNode) event.get("meta")).remove(List.of("lastUpdated", "versionId"));
    }
    if (event.has("source")) {
      ((ObjectNode) event.get("source")).remove("observer");
    }
    stripExtensions(event);
    return event;
  }

  private static void stripExtensions(JsonNode node) {
    if (node.isObject()) {
      JsonNode ext = node.get("extension");
      if (ext != null && ext.isArray()) {
        for (JsonNode e : ext) {
          if (VARYING_EXTENSIONS.contains(e.path("url").asText())) {
            ObjectNode o = (ObjectNode) e;
            List<String> values = new ArrayList<>();
            o.fieldNames().forEachRemaining(n -> values.add(n));
            values.stream().filter(n -> !n.equals("url")).forEach(o::remove);
          }
        }
      }
      node.elements().forEachRemaining(AccessLogGolden::stripExtensions);
    } else if (node.isArray()) {
      node.elements().forEachRemaining(AccessLogGolden::stripExtensions);
    }
  }

  /** Asserts the normalised events equal the golden file, path by path. */
  static void assertMatches(String what, ObjectNode actual) throws IOException {
    GoldenJson.assertMatches(what, FILE, actual);
  }
}
