package org.atnabridge.streams.alert.rules;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads and validates an alert rules file into {@link AlertRules}. Every problem is a {@link
 * RulesFileException} {@code FILE:LINE: reason}: unknown keys, duplicate ids, a {@code notify} of
 * no channel, a missing title, kind or severity, a bad duration, a kind's missing parameter, a
 * {@code where} the FHIR API would refuse, a {@code fhirpath} that is not FHIRPath.
 *
 * <p>Top-level keys: {@code channels}, {@code rules}, {@code grace} (default 10m), and for the
 * shipped rule packs {@code packs} (e.g. {@code [default]}), {@code pack-notify} (the channels the
 * pack rules notify), {@code enable} and {@code disable} (rule ids whose {@code enabled} flag is
 * set, for pack rules and the file's own).
 */
public final class RulesFile {

  private static final Logger LOG = LoggerFactory.getLogger(RulesFile.class);

  /** Largest rules file, in bytes. */
  public static final long MAX_BYTES = YamlSource.MAX_CHARS;

  private static final Set<String> TOP =
      Set.of("channels", "rules", "grace", "packs", "pack-notify", "enable", "disable");

  /** A loaded file and what is worth a warning in it (an http webhook, a placeholder secret). */
  public record Checked(AlertRules rules, List<String> warnings) {
    public Checked {
      warnings = List.copyOf(warnings);
    }
  }

  private RulesFile() {}

  /**
   * The rules of {@code file}; warnings are logged.
   *
   * @throws RulesFileException naming the file, the line and the reason
   */
  public static AlertRules load(Path file) {
    return logged(check(file));
  }

  /**
   * The rules of {@code yaml}, named {@code name} in errors; warnings are logged.
   *
   * @throws RulesFileException naming {@code name}, the line and the reason
   */
  public static AlertRules parse(String name, String yaml) {
    return logged(read(name, yaml));
  }

  /** {@link #load} with the warnings returned instead of logged ({@code rules check}). */
  public static Checked check(Path file) {
    return read(file.toString(), text(file));
  }

  /** {@link #parse} with the warnings returned instead of logged. */
  public static Checked read(String name, String yaml) {
    YamlSource source = new YamlSource(name);
    Node root = source.compose(yaml);
    if (root == null) {
      throw source.error(1, "empty: give rules: or packs:");
    }
    YamlMap top = source.map(root, "the rules file", TOP);
    if (!top.has("rules") && !top.has("packs")) {
      throw source.error(top.line(), "no rules: give rules: or packs:");
    }
    List<String> warnings = new ArrayList<>();
    Map<String, Channel> channels = new LinkedHashMap<>();
    if (top.has("channels")) {
      ChannelReader reader = new ChannelReader(source, warnings);
      List<Node> nodes = source.sequence(top.required("channels"), "channels");
      for (int i = 0; i < nodes.size(); i++) {
        Channel c = reader.read(nodes.get(i), i);
        if (channels.putIfAbsent(c.id(), c) != null) {
          throw source.error(
              YamlSource.lineOfKey(nodes.get(i), "id"), "channel id '" + c.id() + "' given twice");
        }
      }
    }
    Map<String, AlertRule> rules = new LinkedHashMap<>();
    Map<String, String> packOf = new LinkedHashMap<>();
    if (top.has("packs")) {
      List<String> notify = notifyOfPacks(source, top, channels);
      for (Node n : source.sequence(top.required("packs"), "packs")) {
        String pack = source.scalar(n, "packs item");
        if (packOf.containsValue(pack)) {
          throw source.error(n, "packs: pack '" + pack + "' given twice");
        }
        for (AlertRule r : RulePacks.rules(source, n, pack)) {
          rules.put(r.id(), withChannels(r, notify));
          packOf.put(r.id(), pack);
        }
      }
    } else if (top.has("pack-notify")) {
      throw source.error(top.keyNode("pack-notify"), "pack-notify without packs");
    }
    if (top.has("rules")) {
      RuleReader reader = new RuleReader(source, channels::containsKey);
      List<Node> nodes = source.sequence(top.required("rules"), "rules");
      for (int i = 0; i < nodes.size(); i++) {
        AlertRule r = reader.read(nodes.get(i), i);
        if (rules.containsKey(r.id())) {
          String pack = packOf.get(r.id());
          throw source.error(
              YamlSource.lineOfKey(nodes.get(i), "id"),
              "rule id '"
                  + r.id()
                  + "' given twice"
                  + (pack == null
                      ? ""
                      : ": pack " + pack + " has it (disable: it and pick another id)"));
        }
        rules.put(r.id(), r);
      }
    }
    overrides(source, top, rules);
    Duration grace = top.has("grace") ? top.duration("grace") : AlertRules.DEFAULT_GRACE;
    return new Checked(
        new AlertRules(List.copyOf(channels.values()), List.copyOf(rules.values()), grace),
        warnings);
  }

  private static List<String> notifyOfPacks(
      YamlSource source, YamlMap top, Map<String, Channel> channels) {
    if (!top.has("pack-notify")) {
      return List.of();
    }
    List<String> ids = new ArrayList<>();
    for (Node n : source.sequence(top.required("pack-notify"), "pack-notify")) {
      String id = source.scalar(n, "pack-notify item");
      if (!channels.containsKey(id)) {
        throw source.error(n, "pack-notify: no channel '" + id + "'");
      }
      ids.add(id);
    }
    return ids;
  }

  /** {@code enable:} and {@code disable:} set the flag of rules by id. */
  private static void overrides(YamlSource source, YamlMap top, Map<String, AlertRule> rules) {
    Set<String> seen = new HashSet<>();
    for (String key : List.of("enable", "disable")) {
      if (!top.has(key)) {
        continue;
      }
      for (Node n : source.sequence(top.required(key), key)) {
        String id = source.scalar(n, key + " item");
        AlertRule r = rules.get(id);
        if (r == null) {
          throw source.error(n, key + ": no rule '" + id + "'");
        }
        if (!seen.add(id)) {
          throw source.error(n, key + ": rule '" + id + "' is named in enable or disable already");
        }
        rules.put(id, withEnabled(r, key.equals("enable")));
      }
    }
  }

  private static AlertRule withChannels(AlertRule r, List<String> channels) {
    return new AlertRule(
        r.id(),
        r.title(),
        r.description(),
        r.severity(),
        r.enabled(),
        r.where(),
        r.groupBy(),
        r.suppress(),
        channels,
        r.spec());
  }

  private static AlertRule withEnabled(AlertRule r, boolean enabled) {
    return new AlertRule(
        r.id(),
        r.title(),
        r.description(),
        r.severity(),
        enabled,
        r.where(),
        r.groupBy(),
        r.suppress(),
        r.channels(),
        r.spec());
  }

  private static AlertRules logged(Checked checked) {
    checked.warnings().forEach(LOG::warn);
    return checked.rules();
  }

  /**
   * The file as UTF-8 text, at most {@link #MAX_BYTES}.
   *
   * @throws RulesFileException when it cannot be read, is too large or is not UTF-8
   */
  static String text(Path file) {
    String name = file.toString();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes((int) MAX_BYTES + 1);
      if (bytes.length > MAX_BYTES) {
        throw new RulesFileException(name, 1, "file larger than " + MAX_BYTES + " bytes");
      }
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new RulesFileException(name, 1, "not UTF-8 text");
    } catch (IOException e) {
      throw new RulesFileException(name, 1, "cannot be read: " + reason(e));
    }
  }

  private static String reason(IOException e) {
    return e instanceof java.nio.file.NoSuchFileException
        ? "no such file"
        : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
  }
}
