package org.atnabridge.atna;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.testing.GoldenJson;
import org.hl7.fhir.r5.model.AuditEvent;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden tests: each corpus message's AuditEvents, compared field by field (every JSON path) with
 * the hand-reviewed {@code src/test/resources/golden/<folder>/<file>.json} (a JSON array, one
 * element per AuditEvent). See the README there for how they were reviewed. Regenerating is a
 * deliberate act: {@code -Dgolden.update=true} rewrites the files, which then need a new review.
 */
class GoldenFileTest {

  private static final Path GOLDEN = Path.of("src/test/resources/golden");
  private static final ObjectMapper JSON = new ObjectMapper();

  static Stream<String> vectors() {
    return Corpus.vectors().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void convert_matchesReviewedGolden(String vector) throws Exception {
    List<AuditEvent> events = new AtnaConverter().convert(Corpus.message(vector), Corpus.META);
    ArrayNode actual = JSON.createArrayNode();
    for (AuditEvent e : events) {
      actual.add(JSON.readTree(Fhir.toJson(e)));
    }
    Path golden = GOLDEN.resolve(vector + ".json");
    GoldenJson.assertMatches(vector, golden, actual);
  }
}
