package org.atnabridge.accesslog;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.testing.GoldenJson;
import org.hl7.fhir.r5.model.AuditEvent;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden tests: every line of each golden input, converted with its source, compared path by path
 * with the hand-reviewed {@code golden/<input>.json} (one element per line: its events, or why it
 * was dropped or failed). See the README there. {@code -Dgolden.update=true} rewrites them, which
 * then need a new review.
 */
class GoldenFileTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  static Stream<String> inputs() throws Exception {
    return GoldenLines.inputs();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("inputs")
  void convert_matchesReviewedGolden(String input) throws Exception {
    AccessLogSource source = GoldenLines.sourceOf(input);
    List<String> lines = GoldenLines.lines(input);
    ArrayNode actual = JSON.createArrayNode();
    for (int i = 0; i < lines.size(); i++) {
      ObjectNode entry = actual.addObject();
      entry.put("line", i + 1);
      switch (Lines.CONVERTER.convert(lines.get(i), source, GoldenLines.ORIGIN)) {
        case AccessLogConversion.Converted c -> {
          ArrayNode events = entry.putArray("events");
          for (AuditEvent e : c.events()) {
            events.add(JSON.readTree(Fhir.toJson(e)));
          }
        }
        case AccessLogConversion.Dropped d -> entry.put("dropped", d.reason().name());
        case AccessLogConversion.Failed f -> entry.put("failed", f.toString());
      }
    }
    Path golden = GoldenLines.DIR.resolve(input + ".json");
    GoldenJson.assertMatches(input, golden, actual);
  }
}
