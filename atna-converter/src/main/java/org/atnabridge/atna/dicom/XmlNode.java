package org.atnabridge.atna.dicom;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A minimal element tree. Names are local names (namespaces ignored, the audit schemas declare
 * none) and are matched case-insensitively, because RFC 3881-era senders are not consistent.
 */
final class XmlNode {

  final String name;
  private final Map<String, String> attributes = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
  final List<XmlNode> children = new ArrayList<>();
  private final StringBuilder text = new StringBuilder();

  XmlNode(String name) {
    this.name = name;
  }

  void attribute(String localName, String value) {
    attributes.putIfAbsent(localName, value);
  }

  void appendText(String s) {
    text.append(s);
  }

  boolean is(String localName) {
    return name.equalsIgnoreCase(localName);
  }

  /** Attribute value stripped of surrounding whitespace; null when absent or blank. */
  @Nullable String attr(String localName) {
    return blankToNull(attributes.get(localName));
  }

  /** Element text stripped of surrounding whitespace; null when blank. */
  @Nullable String text() {
    return blankToNull(text.toString());
  }

  @Nullable XmlNode first(String localName) {
    for (XmlNode child : children) {
      if (child.is(localName)) {
        return child;
      }
    }
    return null;
  }

  List<XmlNode> all(String localName) {
    List<XmlNode> out = new ArrayList<>();
    for (XmlNode child : children) {
      if (child.is(localName)) {
        out.add(child);
      }
    }
    return out;
  }

  /** The attribute, else the text of the first child element with that name (both spellings occur). */
  @Nullable String attrOrChild(String localName) {
    String a = attr(localName);
    if (a != null) {
      return a;
    }
    XmlNode child = first(localName);
    return child == null ? null : child.text();
  }

  static @Nullable String blankToNull(@Nullable String s) {
    if (s == null) {
      return null;
    }
    String t = s.strip();
    return t.isEmpty() ? null : t;
  }
}
