package org.atnabridge.search.feed;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.DomainResource;
import org.hl7.fhir.r5.model.Resource;
import org.hl7.fhir.utilities.xhtml.NodeType;
import org.hl7.fhir.utilities.xhtml.XhtmlNode;

/**
 * Checks what the feed must refuse before anything is written: the elements R5 makes mandatory (so
 * a stored event is always searchable and displayable) and narrative with active content (FHIR
 * narrative is restricted XHTML; script, event handlers, frames and {@code javascript:} URLs would
 * run in an officer's browser; inline {@code style} is allowed only as plain declarations, {@link
 * #isPlainCss}). Structure (unknown elements, wrong types) is refused earlier by the strict parser.
 */
public final class FeedValidator {

  /** One problem: a FHIRPath-style location, a message naming what is wrong, and its kind. */
  public record Issue(String expression, String message, Kind kind) {

    /** What kind of rule an issue breaks: it decides the OperationOutcome issue code. */
    public enum Kind {
      /** an element R5 makes mandatory is missing */
      REQUIRED,
      /** narrative that could run in a browser */
      ACTIVE_CONTENT,
      /** a mark only this repository sets ({@link ServerOwnedMarks}) */
      SERVER_OWNED
    }
  }

  private static final Set<String> ACTIVE_ELEMENTS =
      Set.of(
          "script",
          "iframe",
          "frame",
          "frameset",
          "object",
          "embed",
          "applet",
          "form",
          "input",
          "button",
          "textarea",
          "select",
          "link",
          "meta",
          "base",
          "style",
          "svg",
          "math");
  private static final Set<String> URL_ATTRIBUTES =
      Set.of(
          "href",
          "src",
          "action",
          "formaction",
          "xlink:href",
          "background",
          "cite",
          "longdesc",
          "usemap",
          "poster");
  private static final int MAX_NARRATIVE_DEPTH = 64;
  private static final Pattern PLAIN_DECLARATION =
      Pattern.compile("\\s*[a-zA-Z-]+\\s*:[a-zA-Z0-9#%., -]*");

  private FeedValidator() {}

  public static List<Issue> check(AuditEvent event) {
    List<Issue> issues = new ArrayList<>();
    if (!event.hasCode() || event.getCode().isEmpty()) {
      issues.add(
          new Issue("AuditEvent.code", "AuditEvent.code is required (1..1)", Issue.Kind.REQUIRED));
    }
    if (!event.hasRecorded()) {
      issues.add(
          new Issue(
              "AuditEvent.recorded",
              "AuditEvent.recorded is required (1..1)",
              Issue.Kind.REQUIRED));
    }
    if (!event.hasAgent()) {
      issues.add(
          new Issue(
              "AuditEvent.agent", "AuditEvent.agent is required (1..*)", Issue.Kind.REQUIRED));
    }
    for (int i = 0; i < event.getAgent().size(); i++) {
      if (!event.getAgent().get(i).hasWho()) {
        issues.add(
            new Issue(
                "AuditEvent.agent[" + i + "].who",
                "AuditEvent.agent.who is required (1..1)",
                Issue.Kind.REQUIRED));
      }
    }
    if (!event.hasSource() || !event.getSource().hasObserver()) {
      issues.add(
          new Issue(
              "AuditEvent.source.observer",
              "AuditEvent.source.observer is required (1..1)",
              Issue.Kind.REQUIRED));
    }
    checkNarrative(event, "AuditEvent", issues);
    for (int i = 0; i < event.getContained().size(); i++) {
      Resource contained = event.getContained().get(i);
      if (contained instanceof DomainResource domain) {
        checkNarrative(domain, "AuditEvent.contained[" + i + "]", issues);
      }
    }
    return issues;
  }

  private static void checkNarrative(DomainResource resource, String path, List<Issue> issues) {
    if (resource.hasText() && resource.getText().hasDiv()) {
      walk(resource.getText().getDiv(), path + ".text.div", 0, issues);
    }
  }

  private static void walk(XhtmlNode node, String path, int depth, List<Issue> issues) {
    if (depth > MAX_NARRATIVE_DEPTH) {
      issues.add(
          new Issue(
              path,
              "narrative nested deeper than " + MAX_NARRATIVE_DEPTH,
              Issue.Kind.ACTIVE_CONTENT));
      return;
    }
    if (node.getNodeType() == NodeType.Element) {
      String name = node.getName() == null ? "" : node.getName().toLowerCase(Locale.ROOT);
      if (ACTIVE_ELEMENTS.contains(name)) {
        issues.add(
            new Issue(
                path,
                "narrative contains active content: <" + name + ">",
                Issue.Kind.ACTIVE_CONTENT));
      }
      for (var attribute : node.getAttributes().entrySet()) {
        String attr = attribute.getKey().toLowerCase(Locale.ROOT);
        String value = attribute.getValue() == null ? "" : attribute.getValue();
        if (attr.startsWith("on")) {
          issues.add(
              new Issue(
                  path,
                  "narrative contains an event handler attribute: " + attr,
                  Issue.Kind.ACTIVE_CONTENT));
        } else if (URL_ATTRIBUTES.contains(attr) && isScriptUrl(value)) {
          issues.add(
              new Issue(
                  path, "narrative contains a script URL in " + attr, Issue.Kind.ACTIVE_CONTENT));
        } else if (attr.equals("style") && !isPlainCss(value)) {
          issues.add(
              new Issue(
                  path,
                  "narrative contains a style attribute that is not plain CSS declarations "
                      + "(escapes, functions such as url() or expression(), comments and at-rules are refused)",
                  Issue.Kind.ACTIVE_CONTENT));
        }
      }
    }
    if (node.hasChildren()) {
      for (XhtmlNode child : node.getChildNodes()) {
        walk(child, path, depth + 1, issues);
      }
    }
  }

  /**
   * Whether an inline style is only {@code property: value} declarations whose values are words,
   * numbers, lengths, percentages and {@code #} colours: an allow-list, because CSS escapes ({@code
   * u\72l(} is {@code url(}) and comments defeat any search for dangerous names. Loading a URL or
   * running script ({@code url()}, {@code expression()}, {@code @import}) needs a character outside
   * it. The narrative that IG tools generate ({@code display: none}, {@code border: 1px solid
   * #8da1b4}) passes.
   */
  static boolean isPlainCss(String style) {
    for (String declaration : style.split(";", -1)) {
      if (!declaration.isBlank() && !PLAIN_DECLARATION.matcher(declaration).matches()) {
        return false;
      }
    }
    return true;
  }

  private static boolean isScriptUrl(String value) {
    // browsers ignore whitespace and control characters inside the scheme ("java\tscript:")
    StringBuilder scheme = new StringBuilder();
    for (char c : value.toCharArray()) {
      if (c == ':') {
        break;
      }
      if (c > ' ') {
        scheme.append(Character.toLowerCase(c));
      }
    }
    String s = scheme.toString();
    return s.equals("javascript") || s.equals("vbscript") || s.equals("data");
  }
}
