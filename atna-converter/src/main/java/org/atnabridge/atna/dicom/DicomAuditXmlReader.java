package org.atnabridge.atna.dicom;

import java.io.ByteArrayInputStream;
import java.io.CharConversionException;
import java.nio.charset.CharacterCodingException;
import java.util.ArrayDeque;
import java.util.Deque;
import javax.xml.XMLConstants;
import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.atnabridge.atna.ConversionException;
import org.atnabridge.atna.ConversionFailure;
import org.jspecify.annotations.Nullable;

/**
 * Reads a DICOM PS3.15 A.5 or RFC 3881 AuditMessage with StAX into {@link AuditMessage}.
 *
 * <p>Safety: the JDK's own StAX implementation is used (not whatever is on the class path), DTD
 * support and external entities are off, external DTD access is forbidden, and any DOCTYPE is
 * rejected as {@link ConversionFailure#XML_UNSAFE} before an entity could be declared (XXE, billion
 * laughs). Nesting depth and attributes per element are capped (checked here and by the JDK's
 * XMLSecurityManager limits). Every failure is a {@link ConversionException} with a typed reason
 * and, where the parser knows it, {@code line:column}. The encoding comes from the BOM or XML
 * declaration; bytes invalid in it are {@link ConversionFailure#INVALID_ENCODING}.
 *
 * <p>Leniency (DICOM PS3.15 A.5 and RFC 3881 forms alike): {@code csd-code} or {@code code}; {@code
 * originalText} or {@code displayName}; element names matched by local name, case-insensitively;
 * unknown content ignored. Thread-safe: one configured factory per thread (the JDK factory is not
 * documented as thread-safe).
 */
public final class DicomAuditXmlReader {

  /** The JDK's own limits (XMLSecurityManager) as a second line behind the reader's own checks. */
  private static final String JDK_ATTRIBUTE_LIMIT = "jdk.xml.elementAttributeLimit";

  private static final String JDK_DEPTH_LIMIT = "jdk.xml.maxElementDepth";
  private static final String JDK_ENTITY_EXPANSION_LIMIT = "jdk.xml.entityExpansionLimit";
  private static final String JDK_REUSE_INSTANCE = "reuse-instance";

  private final int maxDepth;
  private final int maxAttributes;

  /** The JDK factory is not documented as thread-safe; one per thread, configured once. */
  private final ThreadLocal<XMLInputFactory> factories = ThreadLocal.withInitial(this::newFactory);

  public DicomAuditXmlReader(int maxDepth) {
    this(maxDepth, 64);
  }

  public DicomAuditXmlReader(int maxDepth, int maxAttributes) {
    if (maxDepth <= 0) {
      throw new IllegalArgumentException("maxDepth <= 0");
    }
    if (maxAttributes <= 0) {
      throw new IllegalArgumentException("maxAttributes <= 0");
    }
    this.maxDepth = maxDepth;
    this.maxAttributes = maxAttributes;
  }

  public AuditMessage read(byte[] buffer, int offset, int length) throws ConversionException {
    XmlNode root = parseTree(buffer, offset, length);
    if (!root.is("AuditMessage")) {
      throw new ConversionException(
          ConversionFailure.NOT_AUDIT_MESSAGE,
          "root element is <" + printable(root.name) + ">, not <AuditMessage> (DICOM PS3.15 A.5)");
    }
    return AuditMessageBuilder.toMessage(root);
  }

  private XMLInputFactory newFactory() {
    XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
    factory.setProperty(XMLInputFactory.IS_COALESCING, true);
    // the JDK factory hands out the same (reset) reader again once the previous one is closed:
    // saves the scanner, entity manager and buffers per message (the factory is per thread)
    factory.setProperty(JDK_REUSE_INSTANCE, true);
    factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
    factory.setProperty(JDK_ATTRIBUTE_LIMIT, String.valueOf(maxAttributes + 1));
    factory.setProperty(JDK_DEPTH_LIMIT, String.valueOf(maxDepth + 1));
    factory.setProperty(JDK_ENTITY_EXPANSION_LIMIT, "1");
    factory.setXMLResolver(
        (publicId, systemId, baseUri, namespace) -> {
          throw new XMLStreamException("external resource refused");
        });
    return factory;
  }

  private XmlNode parseTree(byte[] buffer, int offset, int length) throws ConversionException {
    XMLStreamReader r = null;
    Deque<XmlNode> stack = new ArrayDeque<>();
    XmlNode root = null;
    try {
      r = factories.get().createXMLStreamReader(new ByteArrayInputStream(buffer, offset, length));
      while (r.hasNext()) {
        switch (r.next()) {
          case XMLStreamConstants.DTD ->
              throw new ConversionException(
                  ConversionFailure.XML_UNSAFE,
                  "DTD_NOT_ALLOWED"
                      + at(r.getLocation())
                      + ": a DOCTYPE is refused (DTDs and entities are never processed)");
          case XMLStreamConstants.ENTITY_REFERENCE ->
              throw new ConversionException(
                  ConversionFailure.XML_UNSAFE,
                  "ENTITY_NOT_ALLOWED"
                      + at(r.getLocation())
                      + ": entity reference &"
                      + printable(r.getLocalName())
                      + "; is refused");
          case XMLStreamConstants.START_ELEMENT -> {
            if (stack.size() >= maxDepth) {
              throw new ConversionException(
                  ConversionFailure.TOO_DEEP,
                  at(r.getLocation()).strip() + ": element nesting deeper than " + maxDepth);
            }
            int attributes = r.getAttributeCount();
            if (attributes > maxAttributes) {
              throw new ConversionException(
                  ConversionFailure.TOO_MANY_ATTRIBUTES,
                  at(r.getLocation()).strip()
                      + ": <"
                      + printable(r.getLocalName())
                      + "> has "
                      + attributes
                      + " attributes, the limit is "
                      + maxAttributes);
            }
            XmlNode node = new XmlNode(r.getLocalName());
            for (int i = 0; i < attributes; i++) {
              node.attribute(r.getAttributeLocalName(i), r.getAttributeValue(i));
            }
            if (stack.isEmpty()) {
              root = node;
            } else {
              stack.peek().children.add(node);
            }
            stack.push(node);
          }
          case XMLStreamConstants.END_ELEMENT -> stack.pop();
          case XMLStreamConstants.CHARACTERS,
              XMLStreamConstants.CDATA,
              XMLStreamConstants.SPACE -> {
            if (!stack.isEmpty()) {
              stack.peek().appendText(r.getText());
            }
          }
          default -> {
            /* comments, processing instructions, document start/end */
          }
        }
      }
    } catch (XMLStreamException e) {
      throw classify(e);
    } catch (RuntimeException e) {
      // the JDK parser reports some I/O-level problems (bad encodings) as unchecked exceptions
      throw new ConversionException(
          ConversionFailure.XML_MALFORMED, "unreadable XML: " + printable(reason(e)));
    } finally {
      close(r);
    }
    if (root == null) {
      throw new ConversionException(ConversionFailure.XML_MALFORMED, "no root element");
    }
    return root;
  }

  /** Maps a StAX error to its typed reason, with the parser's line:column (1-based). */
  private ConversionException classify(XMLStreamException e) {
    String reason = reason(e);
    String where = at(e.getLocation());
    Throwable nested = e.getNestedException() != null ? e.getNestedException() : e.getCause();
    if (nested instanceof CharConversionException
        || nested instanceof CharacterCodingException
        || reason.contains("-byte UTF-8 sequence")
        || reason.contains("Invalid encoding")
        || reason.contains("invalid byte")
        || reason.contains("Invalid byte")) {
      return new ConversionException(
          ConversionFailure.INVALID_ENCODING, where.strip() + ": " + printable(reason));
    }
    if (reason.contains("JAXP00010002") || reason.contains("elementAttributeLimit")) {
      return new ConversionException(
          ConversionFailure.TOO_MANY_ATTRIBUTES,
          where.strip() + ": more than " + maxAttributes + " attributes on one element");
    }
    if (reason.contains("JAXP00010006") || reason.contains("maxElementDepth")) {
      return new ConversionException(
          ConversionFailure.TOO_DEEP, where.strip() + ": element nesting deeper than " + maxDepth);
    }
    if (reason.contains("DOCTYPE")
        || reason.contains("JAXP00010001")
        || reason.contains("ntity expansion")) {
      return new ConversionException(
          ConversionFailure.XML_UNSAFE, "DTD_NOT_ALLOWED" + where + ": " + printable(reason));
    }
    return new ConversionException(
        ConversionFailure.XML_MALFORMED, where.strip() + ": " + printable(reason));
  }

  /** {@code " at LINE:COL"}, or empty when the parser gave no position. */
  private static String at(@Nullable Location l) {
    return l == null || l.getLineNumber() < 0
        ? ""
        : " at " + l.getLineNumber() + ":" + l.getColumnNumber();
  }

  /** The parser's own reason without the "ParseError at [row,col]" preamble the JDK prepends. */
  private static String reason(Exception e) {
    String m = String.valueOf(e.getMessage());
    int i = m.indexOf("Message: ");
    return (i >= 0 ? m.substring(i + 9) : m).strip();
  }

  /**
   * At most 200 characters, control characters replaced: the reason goes to logs and headers
   * verbatim.
   */
  private static String printable(String s) {
    String cut = s.length() > 200 ? s.substring(0, 200) + "…" : s;
    StringBuilder out = new StringBuilder(cut.length());
    cut.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
    return out.toString();
  }

  private static void close(@Nullable XMLStreamReader r) {
    if (r != null) {
      try {
        r.close();
      } catch (XMLStreamException ignored) {
        // reading is over; nothing to release beyond the in-memory stream
      }
    }
  }
}
