package org.atnabridge.allinone;

import java.io.PrintWriter;
import java.time.DayOfWeek;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.atnabridge.streams.alert.rules.AlertRule;
import org.atnabridge.streams.alert.rules.AlertRules;
import org.atnabridge.streams.alert.rules.Channel;
import org.atnabridge.streams.alert.rules.Durations;
import org.atnabridge.streams.alert.rules.KindSpec;
import org.atnabridge.streams.alert.rules.ValueExpression;

/**
 * A loaded rules file as {@code rules check} prints it: one block per channel and rule, in file
 * order. Secrets are counted, never printed; of the SMTP password only the variable is named.
 */
final class RuleListing {

  private RuleListing() {}

  static void print(String file, AlertRules rules, PrintWriter out) {
    out.printf(
        "%s: valid: %d rules (%d enabled), %d channels, grace %s%n",
        file,
        rules.rules().size(),
        rules.enabled().size(),
        rules.channels().size(),
        Durations.format(rules.grace()));
    for (Channel c : rules.channels()) {
      out.println(channel(c));
    }
    for (AlertRule r : rules.rules()) {
      out.printf(
          "rule %s: %s, severity %s, %s%n",
          r.id(),
          r.kind().yamlName(),
          r.severity().yamlName(),
          r.enabled() ? "enabled" : "disabled");
      out.println("  title: " + r.title());
      out.println("  where: " + r.where().text());
      if (r.groupBy() != null) {
        out.println("  group-by: " + r.groupBy().text());
      }
      for (String line : spec(r.spec())) {
        out.println("  " + line);
      }
      if (r.suppress() != null) {
        out.println("  suppress: " + Durations.format(r.suppress()));
      }
      out.println("  notify: " + (r.channels().isEmpty() ? "-" : String.join(", ", r.channels())));
    }
  }

  private static String channel(Channel c) {
    return switch (c) {
      case Channel.Webhook w ->
          String.format(
              "channel %s: webhook %s, %d secret%s, timeout %s, deadline %s",
              w.id(),
              w.url(),
              w.secrets().size(),
              w.secrets().size() == 1 ? "" : "s",
              Durations.format(w.timeout()),
              Durations.format(w.deadline()));
      case Channel.Email e ->
          String.format(
              "channel %s: email to %s from %s via %s:%d (starttls %s%s), patient names %s,"
                  + " deadline %s",
              e.id(),
              String.join(", ", e.to()),
              e.from(),
              e.smtp().host(),
              e.smtp().port(),
              e.smtp().startTls().name().toLowerCase(Locale.ROOT),
              e.smtp().passwordEnv() == null ? "" : ", password from $" + e.smtp().passwordEnv(),
              e.patientNames() ? "yes" : "no",
              Durations.format(e.deadline()));
      case Channel.Kafka k -> "channel " + k.id() + ": kafka (the audit.alerts topic)";
    };
  }

  private static List<String> spec(KindSpec spec) {
    return switch (spec) {
      case KindSpec.Match m -> List.of();
      case KindSpec.Threshold t ->
          List.of("count: " + t.count() + ", window: " + Durations.format(t.window()));
      case KindSpec.Distinct d ->
          List.of(
              "field: "
                  + d.field().text()
                  + ", count: "
                  + d.count()
                  + ", window: "
                  + Durations.format(d.window()));
      case KindSpec.Sequence s -> {
        List<String> lines = new java.util.ArrayList<>();
        for (int i = 0; i < s.steps().size(); i++) {
          KindSpec.Step step = s.steps().get(i);
          lines.add("step " + (i + 1) + ": " + step.where().text() + ", count: " + step.count());
        }
        lines.add("window: " + Durations.format(s.window()));
        yield lines;
      }
      case KindSpec.FirstSeen f ->
          List.of(
              "fields: "
                  + f.fields().stream().map(ValueExpression::text).collect(Collectors.joining(", "))
                  + ", look-back: "
                  + Durations.format(f.lookBack()));
      case KindSpec.Schedule c ->
          List.of(
              "calendar: "
                  + c.days().stream()
                      .sorted()
                      .map(RuleListing::day)
                      .collect(Collectors.joining(","))
                  + " "
                  + c.from()
                  + "-"
                  + c.to()
                  + " "
                  + c.zone());
      case KindSpec.Relationship r ->
          List.of(
              "relations: "
                  + r.relations().stream()
                      .sorted()
                      .map(x -> x.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                      .collect(Collectors.joining(", ")));
      case KindSpec.Silence s -> List.of("after: " + Durations.format(s.after()));
    };
  }

  private static String day(DayOfWeek d) {
    return d.name().substring(0, 3).toLowerCase(Locale.ROOT);
  }
}
