package org.atnabridge.streams.alert.notify;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.commons.text.StringSubstitutor;
import org.atnabridge.schemas.alert.Alert;
import org.jspecify.annotations.Nullable;

/**
 * The subject and plain-text body of an alert e-mail, from the channel's Commons Text {@link
 * StringSubstitutor} templates (or the defaults). Variables: {@code ${alertId}}, {@code
 * ${rule.id}}, {@code ${rule.title}}, {@code ${rule.kind}}, {@code ${rule.description}}, {@code
 * ${severity}}, {@code ${summary}}, {@code ${firedAt}}, {@code ${detectedAt}}, {@code ${group}},
 * {@code ${windowStart}}, {@code ${windowEnd}}, {@code ${late}}, {@code ${eventCount}}, {@code
 * ${events}}, {@code ${agents}}, {@code ${patients}}, {@code ${auditEventId}}.
 *
 * <p>Every value is escaped before it is put in: control characters (CR and LF above all, which
 * would start new header lines in the subject, RFC 5322 section 2.2) become a space, and a value's
 * own {@code ${...}} is not substituted again. Lists ({@code events}, {@code agents}, {@code
 * patients}) are one item per line in the body and comma-separated in the subject. Patients are
 * named by reference or identifier only; their names ({@code display}) only when the channel says
 * {@code patientNames: true}.
 */
public final class EmailContent {

  public static final String DEFAULT_SUBJECT = "[ATNA alert ${severity}] ${rule.title}: ${summary}";

  public static final String DEFAULT_BODY =
      """
      ${summary}

      Rule:        ${rule.id} (${rule.title}), ${rule.kind}, severity ${severity}
      Fired at:    ${firedAt} (event time)
      Detected at: ${detectedAt}
      Group:       ${group}
      Window:      ${windowStart} to ${windowEnd}
      Late:        ${late}
      Alert id:    ${alertId}
      AuditEvent:  ${auditEventId}

      Events (${eventCount}):
      ${events}

      Agents:
      ${agents}

      Patients:
      ${patients}
      """;

  private static final String NONE = "-";

  /** The rendered mail. */
  public record Mail(String subject, String body) {}

  private EmailContent() {}

  /**
   * @param subjectTemplate the channel's subject template, or null for {@link #DEFAULT_SUBJECT}
   * @param bodyTemplate the channel's body template, or null for {@link #DEFAULT_BODY}
   */
  public static Mail render(
      Alert alert,
      @Nullable String subjectTemplate,
      @Nullable String bodyTemplate,
      boolean patientNames) {
    Function<Alert.Party, String> patient = p -> party(p, patientNames);
    Function<Alert.Party, String> agent = p -> party(p, true);
    String subject =
        substitute(
            subjectTemplate == null ? DEFAULT_SUBJECT : subjectTemplate,
            values(alert, ", ", patient, agent));
    String body =
        substitute(
            bodyTemplate == null ? DEFAULT_BODY : bodyTemplate,
            values(alert, "\n", patient, agent));
    // the template itself may span lines (YAML); a subject never does
    return new Mail(oneLine(subject).strip(), body);
  }

  private static String substitute(String template, Map<String, String> values) {
    StringSubstitutor s = new StringSubstitutor(values);
    s.setDisableSubstitutionInValues(true);
    return s.replace(template);
  }

  private static Map<String, String> values(
      Alert a,
      String separator,
      Function<Alert.Party, String> patient,
      Function<Alert.Party, String> agent) {
    Map<String, String> v = new HashMap<>();
    v.put("alertId", oneLine(a.id()));
    v.put("rule.id", oneLine(a.rule().id()));
    v.put("rule.title", oneLine(a.rule().title()));
    v.put("rule.kind", oneLine(a.rule().kind()));
    v.put("rule.description", orNone(a.rule().description()));
    v.put("severity", oneLine(a.rule().severity()));
    v.put("summary", oneLine(a.summary()));
    v.put("firedAt", a.firedAt().toString());
    v.put("detectedAt", a.detectedAt().toString());
    v.put("group", orNone(a.group()));
    v.put("windowStart", a.windowStart() == null ? NONE : a.windowStart().toString());
    v.put("windowEnd", a.windowEnd() == null ? NONE : a.windowEnd().toString());
    v.put("late", Boolean.toString(a.late()));
    v.put("eventCount", Integer.toString(a.eventCount()));
    v.put("events", list(a.events(), EmailContent::oneLine, separator));
    v.put("agents", list(a.agents(), agent, separator));
    v.put("patients", list(a.patients(), patient, separator));
    v.put("auditEventId", oneLine(a.auditEventId()));
    return v;
  }

  private static <T> String list(List<T> items, Function<T, String> text, String separator) {
    if (items.isEmpty()) {
      return NONE;
    }
    return items.stream().map(text).collect(Collectors.joining(separator));
  }

  /** {@code reference}, else {@code system|value}; the name after it only when allowed. */
  private static String party(Alert.Party p, boolean withName) {
    StringBuilder s = new StringBuilder();
    if (p.reference() != null) {
      s.append(p.reference());
    } else if (p.value() != null) {
      s.append(p.system() == null ? "" : p.system() + "|").append(p.value());
    }
    if (withName && p.display() != null) {
      s.append(s.isEmpty() ? "" : " ").append('(').append(p.display()).append(')');
    }
    return s.isEmpty() ? NONE : oneLine(s.toString());
  }

  private static String orNone(@Nullable String value) {
    return value == null ? NONE : oneLine(value);
  }

  /** Control characters (CR, LF, TAB, NEL, line and paragraph separators) become a space. */
  static String oneLine(String value) {
    StringBuilder s = new StringBuilder(value.length());
    value
        .codePoints()
        .forEach(
            c ->
                s.appendCodePoint(
                    Character.isISOControl(c) || c == 0x2028 || c == 0x2029 ? ' ' : c));
    return s.toString();
  }
}
