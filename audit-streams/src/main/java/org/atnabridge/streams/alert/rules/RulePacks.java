package org.atnabridge.streams.alert.rules;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;

/**
 * The rule packs shipped in the product, named in a rules file's {@code packs:}. A pack is a rules
 * file of its own on the class path with only {@code rules:}; its rules notify no channel (the
 * operator's file names them with {@code pack-notify:}) and are enabled or disabled by its {@code
 * enabled:} flags unless the operator's {@code enable:} / {@code disable:} say otherwise.
 */
public final class RulePacks {

  /** Pack name to class-path resource. */
  private static final Map<String, String> PACKS =
      Map.of("default", "org/atnabridge/streams/alert/rules/default-pack.yaml");

  private RulePacks() {}

  public static Set<String> names() {
    return PACKS.keySet();
  }

  /**
   * The rules of a pack.
   *
   * @throws IllegalArgumentException for a name that is not a pack
   */
  public static List<AlertRule> rules(String pack) {
    String resource = PACKS.get(pack);
    if (resource == null) {
      throw new IllegalArgumentException("no rule pack '" + pack + "'; packs: " + names());
    }
    YamlSource source = new YamlSource("classpath:" + resource);
    Node root = source.compose(resource(resource));
    if (root == null) {
      throw source.error(1, "empty pack");
    }
    YamlMap top = source.map(root, "the pack", Set.of("rules"));
    RuleReader reader = new RuleReader(source, id -> false);
    List<Node> nodes = source.sequence(top.required("rules"), "rules");
    List<AlertRule> rules = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      AlertRule r = reader.read(nodes.get(i), i);
      if (rules.stream().anyMatch(x -> x.id().equals(r.id()))) {
        throw source.error(
            YamlSource.lineOfKey(nodes.get(i), "id"), "rule id '" + r.id() + "' given twice");
      }
      rules.add(r);
    }
    return rules;
  }

  /** {@link #rules(String)} for the pack named at {@code node} of the operator's file. */
  static List<AlertRule> rules(YamlSource source, Node node, String pack) {
    if (!PACKS.containsKey(pack)) {
      throw source.error(node, "packs: no rule pack '" + pack + "' (packs: " + names() + ")");
    }
    return rules(pack);
  }

  private static String resource(String name) {
    try (InputStream in = RulePacks.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("rule pack missing from the class path: " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
