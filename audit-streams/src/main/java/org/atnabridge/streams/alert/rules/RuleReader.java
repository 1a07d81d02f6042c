package org.atnabridge.streams.alert.rules;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.yaml.snakeyaml.nodes.Node;

/** One entry of {@code rules:}, compiled: its condition parsed, its kind's parameters checked. */
final class RuleReader {

  private static final Set<String> COMMON =
      Set.of(
          "id",
          "title",
          "kind",
          "where",
          "fhirpath",
          "severity",
          "description",
          "notify",
          "group-by",
          "suppress",
          "enabled");

  private static final Map<RuleKind, Set<String>> KIND_KEYS =
      Map.of(
          RuleKind.MATCH, Set.of(),
          RuleKind.THRESHOLD, Set.of("count", "window"),
          RuleKind.DISTINCT, Set.of("field", "count", "window"),
          RuleKind.SEQUENCE, Set.of("steps", "window"),
          RuleKind.FIRST_SEEN, Set.of("fields", "look-back"),
          RuleKind.SCHEDULE, Set.of("calendar"),
          RuleKind.RELATIONSHIP, Set.of("relations"),
          RuleKind.SILENCE, Set.of("after"));

  private static final Set<String> STEP = Set.of("where", "fhirpath", "count");
  private static final Set<String> CAL = Set.of("days", "from", "to", "zone");

  /** The kinds that need a condition: without one they would fire on every event. */
  private static final Set<RuleKind> NEED_CONDITION =
      EnumSet.of(RuleKind.MATCH, RuleKind.THRESHOLD);

  private static final Set<String> ALL =
      Stream.concat(COMMON.stream(), KIND_KEYS.values().stream().flatMap(Set::stream))
          .collect(Collectors.toSet());

  private static final Map<String, RuleKind> KINDS =
      Stream.of(RuleKind.values()).collect(Collectors.toMap(RuleKind::yamlName, k -> k));
  private static final Map<String, AlertSeverity> SEVERITIES =
      Stream.of(AlertSeverity.values()).collect(Collectors.toMap(AlertSeverity::yamlName, s -> s));
  private static final Map<String, KindSpec.Relation> RELATIONS =
      Stream.of(KindSpec.Relation.values())
          .collect(
              Collectors.toMap(r -> r.name().toLowerCase(Locale.ROOT).replace('_', '-'), r -> r));
  private static final Map<String, DayOfWeek> DAYS = new HashMap<>();

  static {
    for (DayOfWeek d : DayOfWeek.values()) {
      DAYS.put(d.name().substring(0, 3).toLowerCase(Locale.ROOT), d);
    }
  }

  private final YamlSource source;
  private final Predicate<String> channelExists;

  RuleReader(YamlSource source, Predicate<String> channelExists) {
    this.source = source;
    this.channelExists = channelExists;
  }

  AlertRule read(Node node, int index) {
    String id = source.id(node, "rules[" + index + "]");
    YamlMap r = source.map(node, "rule " + id, ALL);
    String title = r.string("title");
    String kindName = r.string("kind");
    RuleKind kind = KINDS.get(kindName);
    if (kind == null) {
      throw r.error("kind", "'" + kindName + "' is not one of " + String.join(", ", names()));
    }
    Set<String> used = new LinkedHashSet<>(COMMON);
    used.addAll(KIND_KEYS.get(kind));
    r.only(used, "is not used by a " + kind.yamlName() + " rule");
    String severityName = r.string("severity");
    AlertSeverity severity = SEVERITIES.get(severityName);
    if (severity == null) {
      throw r.error(
          "severity", "'" + severityName + "' is not informational, low, medium, high or critical");
    }
    if (NEED_CONDITION.contains(kind) && !r.has("where") && !r.has("fhirpath")) {
      throw source.error(
          r.line(), r.what() + ": a " + kind.yamlName() + " rule needs 'where' or 'fhirpath'");
    }
    EventCondition where = condition(r);
    ValueExpression groupBy = r.has("group-by") ? value(r, "group-by") : null;
    List<String> channels = new ArrayList<>();
    if (r.has("notify")) {
      List<Node> ids = source.sequence(r.required("notify"), r.what() + ".notify");
      for (Node n : ids) {
        String channel = source.scalar(n, r.what() + ".notify item");
        if (!channelExists.test(channel)) {
          throw source.error(n, r.what() + ".notify: no channel '" + channel + "'");
        }
        if (channels.contains(channel)) {
          throw source.error(n, r.what() + ".notify: channel '" + channel + "' given twice");
        }
        channels.add(channel);
      }
    }
    return new AlertRule(
        id,
        title,
        r.optionalString("description"),
        severity,
        r.bool("enabled", true),
        where,
        groupBy,
        r.optionalDuration("suppress"),
        channels,
        spec(kind, r));
  }

  private KindSpec spec(RuleKind kind, YamlMap r) {
    return switch (kind) {
      case MATCH -> new KindSpec.Match();
      case THRESHOLD -> new KindSpec.Threshold(r.positiveInt("count"), r.duration("window"));
      case DISTINCT ->
          new KindSpec.Distinct(value(r, "field"), r.positiveInt("count"), r.duration("window"));
      case SEQUENCE -> new KindSpec.Sequence(steps(r), r.duration("window"));
      case FIRST_SEEN -> {
        List<Node> nodes = source.sequence(r.required("fields"), r.what() + ".fields");
        if (nodes.isEmpty()) {
          throw r.error("fields", "at least one field");
        }
        List<ValueExpression> fields = new ArrayList<>();
        for (Node n : nodes) {
          fields.add(value(n, r.what() + ".fields"));
        }
        yield new KindSpec.FirstSeen(fields, r.duration("look-back"));
      }
      case SCHEDULE -> calendar(source.map(r.required("calendar"), r.what() + ".calendar", CAL));
      case RELATIONSHIP -> {
        Set<KindSpec.Relation> relations = EnumSet.noneOf(KindSpec.Relation.class);
        List<Node> nodes = source.sequence(r.required("relations"), r.what() + ".relations");
        if (nodes.isEmpty()) {
          throw r.error("relations", "at least one relation");
        }
        for (Node n : nodes) {
          String name = source.scalar(n, r.what() + ".relations item");
          KindSpec.Relation rel = RELATIONS.get(name);
          if (rel == null) {
            throw source.error(
                n,
                r.what()
                    + ".relations: '"
                    + name
                    + "' is not one of "
                    + String.join(", ", RELATIONS.keySet().stream().sorted().toList()));
          }
          relations.add(rel);
        }
        yield new KindSpec.Relationship(relations);
      }
      case SILENCE -> new KindSpec.Silence(r.duration("after"));
    };
  }

  private List<KindSpec.Step> steps(YamlMap r) {
    List<Node> nodes = source.sequence(r.required("steps"), r.what() + ".steps");
    if (nodes.size() < 2) {
      throw r.error("steps", "a sequence has at least two steps");
    }
    List<KindSpec.Step> steps = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      YamlMap s = source.map(nodes.get(i), r.what() + ".steps[" + i + "]", STEP);
      if (!s.has("where") && !s.has("fhirpath")) {
        throw source.error(s.line(), s.what() + ": a step needs 'where' or 'fhirpath'");
      }
      steps.add(new KindSpec.Step(condition(s), s.has("count") ? s.positiveInt("count") : 1));
    }
    return steps;
  }

  private KindSpec.Schedule calendar(YamlMap c) {
    Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
    for (Node n : source.sequence(c.required("days"), c.what() + ".days")) {
      String d = source.scalar(n, c.what() + ".days item").strip().toLowerCase(Locale.ROOT);
      int dots = d.indexOf("..");
      DayOfWeek first = day(n, c, dots < 0 ? d : d.substring(0, dots));
      DayOfWeek last = dots < 0 ? first : day(n, c, d.substring(dots + 2));
      if (last.compareTo(first) < 0) {
        throw source.error(n, c.what() + ".days: '" + d + "' runs backwards");
      }
      for (DayOfWeek x = first; ; x = x.plus(1)) {
        days.add(x);
        if (x == last) {
          break;
        }
      }
    }
    if (days.isEmpty()) {
      throw c.error("days", "at least one day");
    }
    LocalTime from = time(c, "from");
    LocalTime to = time(c, "to");
    if (!from.isBefore(to)) {
      throw c.error("to", "must be after from (" + from + ")");
    }
    ZoneId zone;
    try {
      zone = ZoneId.of(c.string("zone"));
    } catch (java.time.DateTimeException e) {
      throw c.error("zone", "not a time zone (e.g. Europe/Berlin): " + c.string("zone"));
    }
    return new KindSpec.Schedule(days, from, to, zone);
  }

  private DayOfWeek day(Node n, YamlMap c, String name) {
    DayOfWeek d = DAYS.get(name.strip());
    if (d == null) {
      throw source.error(
          n, c.what() + ".days: '" + name + "' is not mon, tue, wed, thu, fri, sat or sun");
    }
    return d;
  }

  private static LocalTime time(YamlMap c, String key) {
    String s = c.string(key);
    try {
      return LocalTime.parse(s);
    } catch (DateTimeParseException e) {
      throw c.error(key, "'" + s + "' is not a time of day HH:MM");
    }
  }

  /** {@code where} and/or {@code fhirpath} of a rule or a step. */
  private EventCondition condition(YamlMap m) {
    EventCondition where = null;
    EventCondition fhirpath = null;
    if (m.has("where")) {
      try {
        where = Conditions.search(m.string("where"));
      } catch (IllegalArgumentException e) {
        throw m.error("where", String.valueOf(e.getMessage()));
      }
    }
    if (m.has("fhirpath")) {
      try {
        fhirpath = Conditions.fhirPath(m.string("fhirpath"));
      } catch (IllegalArgumentException e) {
        throw m.error("fhirpath", "not FHIRPath: " + e.getMessage());
      }
    }
    return Conditions.allOf(where, fhirpath);
  }

  private ValueExpression value(YamlMap m, String key) {
    return value(m.required(key), m.what() + "." + key);
  }

  /** A search parameter name, {@code "fhirpath: expr"}, or a mapping {@code {fhirpath: expr}}. */
  private ValueExpression value(Node n, String what) {
    String text;
    if (n instanceof org.yaml.snakeyaml.nodes.MappingNode) {
      YamlMap f = source.map(n, what, Set.of("fhirpath"));
      text = ValueExpressions.FHIRPATH_PREFIX + " " + f.string("fhirpath");
    } else {
      text = source.scalar(n, what);
    }
    try {
      return ValueExpressions.parse(text);
    } catch (IllegalArgumentException e) {
      throw source.error(n, what + ": " + e.getMessage());
    }
  }

  private static List<String> names() {
    return Stream.of(RuleKind.values()).map(RuleKind::yamlName).toList();
  }
}
