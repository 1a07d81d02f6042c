package org.atnabridge.atna.dicom;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A minimal element tree. Names are local names (namespaces ignored, the audit schemas declare
 * none) and are matched case-insensitively, because RFC 3881-era senders are not consistent.
 */
final class XmlNode {

  private static final String[] NO_ATTRIBUTES = {};

  final String name;

  /**
   * Attribute local names and values, in document order (a handful per element: a linear scan beats
   * a map).
   */
  private String[] attributes = NO_ATTRIBUTES;

  private int attributeCount;
  final List<XmlNode> children = new ArrayList<>(4);

  /** The text: null, the one chunk read so far, or a StringBuilder once a second chunk arrives. */
  private @Nullable CharSequence text;

  XmlNode(String name) {
    this.name = name;
  }

  /** The first of several case-insensitively equal names wins. */
  void attribute(String localName, String value) {
    if (find(localName) >= 0) {
      return;
    }
    if (attributeCount * 2 == attributes.length) {
      attributes = Arrays.copyOf(attributes, Math.max(8, attributes.length * 2));
    }
    attributes[attributeCount * 2] = localName;
    attributes[attributeCount * 2 + 1] = value;
    attributeCount++;
  }

  private int find(String localName) {
    for (int i = 0; i < attributeCount; i++) {
      if (attributes[i * 2].equalsIgnoreCase(localName)) {
        return i;
      }
    }
    return -1;
  }

  void appendText(String s) {
    if (text == null) {
      text = s;
    } else if (text instanceof StringBuilder b) {
      b.append(s);
    } else {
      text = new StringBuilder(text.length() + s.length() + 16).append(text).append(s);
    }
  }

  boolean is(String localName) {
    return name.equalsIgnoreCase(localName);
  }

  /** Attribute value stripped of surrounding whitespace; null when absent or blank. */
  @Nullable String attr(String localName) {
    int i = find(localName);
    return i < 0 ? null : blankToNull(attributes[i * 2 + 1]);
  }

  /** Element text stripped of surrounding whitespace; null when blank. */
  @Nullable String text() {
    return text == null ? null : blankToNull(text.toString());
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

  /**
   * The attribute, else the text of the first child element with that name (both spellings occur).
   */
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
