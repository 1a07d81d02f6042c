package org.atnabridge.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A golden file check: the actual JSON compared path by path ({@link JsonTreeDiff}) with a
 * hand-reviewed file. {@code -Dgolden.update=true} rewrites the file first, which then needs a new
 * review.
 */
public final class GoldenJson {

  private static final ObjectMapper JSON = new ObjectMapper();

  private GoldenJson() {}

  /**
   * Asserts that {@code actual} equals the JSON in {@code golden}, naming every path that differs.
   *
   * @param what what {@code actual} is, named when it differs
   */
  public static void assertMatches(String what, Path golden, JsonNode actual) throws IOException {
    if (Boolean.getBoolean("golden.update")) {
      Files.createDirectories(golden.toAbsolutePath().getParent());
      Files.writeString(
          golden,
          JSON.writerWithDefaultPrettyPrinter().writeValueAsString(actual) + "\n",
          StandardCharsets.UTF_8);
    }
    assertThat(golden)
        .as("golden file (create it with -Dgolden.update=true, then review it)")
        .exists();
    List<String> differences = JsonTreeDiff.diff(JSON.readTree(golden.toFile()), actual);
    assertThat(differences).as("%s differs from %s", what, golden).isEmpty();
  }
}
