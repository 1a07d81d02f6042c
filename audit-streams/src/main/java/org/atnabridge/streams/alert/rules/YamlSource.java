package org.atnabridge.streams.alert.rules;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * One YAML file read safely into SnakeYAML nodes, which keep the line of every key and value: the
 * file is composed, never constructed into objects, so no tag can instantiate a class; only the
 * YAML 1.1 core tags are accepted; aliases, nesting and size are bounded (a "billion laughs" file
 * fails fast). Errors are {@link RulesFileException}s naming the file and line.
 */
final class YamlSource {

  /** Largest rules file read, in characters (a file is far smaller). */
  static final int MAX_CHARS = 1 << 20;

  private static final Set<Tag> CORE_TAGS =
      Set.of(Tag.MAP, Tag.SEQ, Tag.STR, Tag.INT, Tag.BOOL, Tag.NULL, Tag.FLOAT);

  private static final java.util.regex.Pattern ID =
      java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  final String file;

  YamlSource(String file) {
    this.file = file;
  }

  /** The document's root node, or null for an empty document. */
  @Nullable Node compose(String yaml) {
    if (yaml.length() > MAX_CHARS) {
      throw error(1, "file larger than " + MAX_CHARS + " characters");
    }
    LoaderOptions options = new LoaderOptions();
    options.setMaxAliasesForCollections(20);
    options.setAllowRecursiveKeys(false);
    options.setNestingDepthLimit(20);
    options.setCodePointLimit(MAX_CHARS);
    options.setProcessComments(false);
    Node root;
    try {
      root = new Yaml(new SafeConstructor(options)).compose(new StringReader(yaml));
    } catch (MarkedYAMLException e) {
      // the problem and its line only: SnakeYAML's snippet of the line could quote a secret
      int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 1;
      throw error(line, "not valid YAML: " + e.getProblem());
    } catch (YAMLException e) {
      throw error(1, "not valid YAML: " + firstLine(e.getMessage()));
    }
    if (root != null) {
      checkTags(root);
    }
    return root;
  }

  private void checkTags(Node node) {
    if (!CORE_TAGS.contains(node.getTag())) {
      throw error(node, "tag " + node.getTag() + " not allowed");
    }
    switch (node) {
      case MappingNode m -> {
        for (NodeTuple t : m.getValue()) {
          checkTags(t.getKeyNode());
          checkTags(t.getValueNode());
        }
      }
      case SequenceNode s -> s.getValue().forEach(this::checkTags);
      default -> {}
    }
  }

  /** The node as a mapping with the given keys allowed. */
  YamlMap map(Node node, String what, Set<String> allowed) {
    if (!(node instanceof MappingNode m)) {
      throw error(node, what + " must be a mapping (key: value)");
    }
    return new YamlMap(this, m, what, allowed);
  }

  List<Node> sequence(Node node, String what) {
    if (!(node instanceof SequenceNode s)) {
      throw error(node, what + " must be a list");
    }
    return s.getValue();
  }

  String scalar(Node node, String what) {
    if (!(node instanceof ScalarNode s) || Tag.NULL.equals(node.getTag())) {
      throw error(node, what + " must be a single value");
    }
    return s.getValue();
  }

  List<String> scalars(Node node, String what) {
    List<String> out = new ArrayList<>();
    for (Node item : sequence(node, what)) {
      out.add(scalar(item, what + " item"));
    }
    return out;
  }

  /**
   * The {@code id} of an entry of a list, read before its other keys so that every later error
   * names the entry by it.
   */
  String id(Node entry, String what) {
    if (entry instanceof MappingNode m) {
      for (NodeTuple t : m.getValue()) {
        if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("id")) {
          String id = scalar(t.getValueNode(), what + ".id").strip();
          if (!ID.matcher(id).matches()) {
            throw error(
                t.getValueNode(),
                what + ".id: '" + id + "' is not an id (letters, digits, . _ -; at most 64)");
          }
          return id;
        }
      }
      throw error(entry, what + ": missing 'id'");
    }
    throw error(entry, what + " must be a mapping (key: value)");
  }

  /** The line of {@code key} in a mapping already read, else the mapping's own line. */
  static int lineOfKey(Node mapping, String key) {
    if (mapping instanceof MappingNode m) {
      for (NodeTuple t : m.getValue()) {
        if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
          return line(k);
        }
      }
    }
    return line(mapping);
  }

  static int line(Node node) {
    return node.getStartMark().getLine() + 1;
  }

  RulesFileException error(Node node, String reason) {
    return error(line(node), reason);
  }

  RulesFileException error(int line, String reason) {
    return new RulesFileException(file, line, reason);
  }

  private static String firstLine(@Nullable String s) {
    if (s == null) {
      return "unreadable";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
