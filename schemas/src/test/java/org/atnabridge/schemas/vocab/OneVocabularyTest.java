package org.atnabridge.schemas.vocab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.atnabridge.schemas.DeadLetterHeaders;
import org.atnabridge.schemas.EventHeaders;
import org.atnabridge.schemas.RawHeaders;
import org.atnabridge.schemas.Topic;
import org.atnabridge.schemas.Topics;
import org.junit.jupiter.api.Test;

/**
 * Extension URLs, code systems, header and topic names are declared once, here in schemas, and
 * imported everywhere: no main source of another module spells one of them as a string literal.
 * Checked are the values that are identifiers by their form (URIs, dotted header and topic names);
 * short codes and sub-extension names such as {@code peer} are ordinary words elsewhere too.
 */
class OneVocabularyTest {

  private static final List<Class<?>> VOCABULARY =
      List.of(
          Extensions.class,
          CodeSystems.class,
          Profiles.class,
          RawHeaders.class,
          EventHeaders.class,
          DeadLetterHeaders.class,
          Topics.class);

  /** Where the vocabulary is declared (relative to the repository root). */
  private static final Set<Path> DECLARING =
      Set.of(
          Path.of("schemas/src/main/java/org/atnabridge/schemas/vocab"),
          Path.of("schemas/src/main/java/org/atnabridge/schemas/RawHeaders.java"),
          Path.of("schemas/src/main/java/org/atnabridge/schemas/EventHeaders.java"),
          Path.of("schemas/src/main/java/org/atnabridge/schemas/DeadLetterHeaders.java"),
          Path.of("schemas/src/main/java/org/atnabridge/schemas/Topics.java"));

  private static final Pattern TEXT_BLOCK = Pattern.compile("\"\"\"[\\s\\S]*?\"\"\"");
  private static final Pattern CHAR_LITERAL = Pattern.compile("'(?:[^'\\\\\\n]|\\\\.)+'");
  private static final Pattern LINE_COMMENT = Pattern.compile("(?m)//[^\"\\n]*$");
  private static final Pattern STRING_LITERAL = Pattern.compile("\"((?:[^\"\\\\\\n]|\\\\.)*)\"");

  @Test
  void noMainSourceOutsideTheVocabulary_spellsOneOfItsValues() throws IOException {
    Map<String, String> declared = declaredValues();
    assertThat(declared)
        .as("values read from the vocabulary classes")
        .containsKeys(
            CodeSystems.V3_CONFIDENTIALITY,
            Extensions.CHAIN,
            RawHeaders.PEER,
            Topics.AUDIT_EVENTS.name());
    Path root = repositoryRoot();
    List<Path> sources = mainSources(root);
    assertThat(sources).as("main sources of the other modules").hasSizeGreaterThan(100);
    List<String> found = new ArrayList<>();
    for (Path file : sources) {
      for (String literal : literals(Files.readString(file))) {
        String constant = declared.get(literal);
        if (constant != null) {
          found.add(root.relativize(file) + ": \"" + literal + "\" (use " + constant + ")");
        } else if (literal.contains("atna-bridge.org/fhir")) {
          found.add(
              root.relativize(file)
                  + ": \""
                  + literal
                  + "\" (our namespace: declare it in schemas vocab)");
        }
      }
    }
    assertThat(found).as("vocabulary spelled outside schemas").isEmpty();
  }

  @Test
  void literalScan_findsAValueInCode_butNotInCommentsOrCharacters() {
    String source =
        """
        class X {
          // see "http://dicom.nema.org/resources/ontology/DCM"
          char q = '"';
          Coding c = new Coding("http://dicom.nema.org/resources/ontology/DCM", "110110", "Patient \\"Record\\"");
          String h = "atna.peer";
        }
        """;
    assertThat(literals(source))
        .containsExactly(CodeSystems.DCM, "110110", "Patient \\\"Record\\\"", RawHeaders.PEER);
    assertThat(declaredValues()).containsKeys(CodeSystems.DCM, RawHeaders.PEER);
  }

  @Test
  void ourCanonicalUrls_liveInOneNamespace() {
    assertThat(Extensions.BASE).isEqualTo("http://atna-bridge.org/fhir/StructureDefinition/");
    assertThat(CodeSystems.BASE).isEqualTo("http://atna-bridge.org/fhir/CodeSystem/");
    assertThat(declaredValues().keySet())
        .filteredOn(v -> v.contains("atna-bridge.org"))
        .allSatisfy(v -> assertThat(v).startsWith(Extensions.NAMESPACE));
  }

  @Test
  void networkAccessPointType_codesOneToFive_only() {
    assertThat(NetworkAccessPointType.coding("2").getSystem())
        .isEqualTo(CodeSystems.NETWORK_ACCESS_POINT_TYPE);
    assertThat(NetworkAccessPointType.coding("2").getDisplay()).isEqualTo("IP Address");
    assertThat(NetworkAccessPointType.coding("5").getCode()).isEqualTo("5");
    assertThat(NetworkAccessPointType.coding("0")).isNull();
    assertThat(NetworkAccessPointType.coding("02")).isNull();
    assertThat(NetworkAccessPointType.coding("6")).isNull();
  }

  /**
   * Value → the constant that declares it, for every identifier-like String constant and topic
   * name.
   */
  private static Map<String, String> declaredValues() {
    Map<String, String> values = new TreeMap<>();
    for (Class<?> type : VOCABULARY) {
      for (Field f : type.getFields()) {
        int m = f.getModifiers();
        if (!Modifier.isStatic(m) || !Modifier.isFinal(m)) {
          continue;
        }
        try {
          Object v = f.get(null);
          if (v instanceof String s && (s.contains(":") || s.contains("."))) {
            values.put(s, type.getSimpleName() + "." + f.getName());
          } else if (v instanceof Topic<?, ?> t) {
            values.put(t.name(), type.getSimpleName() + "." + f.getName() + ".name()");
          }
        } catch (IllegalAccessException e) {
          throw new AssertionError(e);
        }
      }
    }
    return values;
  }

  /** The string literals of code (comments and character literals left out). */
  static List<String> literals(String source) {
    String code =
        CHAR_LITERAL.matcher(TEXT_BLOCK.matcher(source).replaceAll("\"\"")).replaceAll("' '");
    code = LINE_COMMENT.matcher(code).replaceAll("");
    List<String> literals = new ArrayList<>();
    for (String line : code.split("\n")) {
      String s = line.strip();
      if (s.startsWith("*") || s.startsWith("/*") || s.startsWith("//")) {
        continue;
      }
      Matcher m = STRING_LITERAL.matcher(line);
      while (m.find()) {
        literals.add(m.group(1));
      }
    }
    return literals;
  }

  private static List<Path> mainSources(Path root) throws IOException {
    List<Path> sources = new ArrayList<>();
    try (Stream<Path> modules = Files.list(root)) {
      for (Path module : modules.filter(Files::isDirectory).toList()) {
        Path main = module.resolve("src/main/java");
        if (!Files.isDirectory(main)) {
          continue;
        }
        try (Stream<Path> walk = Files.walk(main)) {
          walk.filter(p -> p.toString().endsWith(".java"))
              .filter(p -> DECLARING.stream().noneMatch(d -> root.relativize(p).startsWith(d)))
              .forEach(sources::add);
        }
      }
    }
    return sources;
  }

  private static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null
        && !(Files.isDirectory(dir.resolve("schemas"))
            && Files.isRegularFile(dir.resolve("pom.xml")))) {
      dir = dir.getParent();
    }
    assertThat(dir).as("repository root above " + Path.of("").toAbsolutePath()).isNotNull();
    return dir;
  }
}
