package org.atnabridge.search.feed;

import java.io.ByteArrayInputStream;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.jspecify.annotations.Nullable;

/**
 * Checks a posted XML body before any FHIR parser sees it: FHIR's XML format has no document type
 * declaration, so one is refused (no external DTD or entity can be fetched, no entity expanded,
 * whatever a parser behind would do), and elements may nest at most {@value #MAX_DEPTH} deep (an
 * AuditEvent in a Bundle needs about 15; deeper nesting only costs stack and time).
 */
final class XmlBodyGuard {

  static final int MAX_DEPTH = 64;

  private static final XMLInputFactory FACTORY = factory();

  private XmlBodyGuard() {}

  /**
   * Why the body is refused, or null when it may be parsed. Malformed XML is left to the FHIR
   * parser's message.
   */
  static @Nullable String refusal(byte[] body) {
    XMLStreamReader reader = null;
    try {
      reader = FACTORY.createXMLStreamReader(new ByteArrayInputStream(body));
      int depth = 0;
      while (reader.hasNext()) {
        switch (reader.next()) {
          case XMLStreamConstants.DTD -> {
            return "XML with a document type declaration (<!DOCTYPE>) is not accepted";
          }
          case XMLStreamConstants.START_ELEMENT -> {
            if (++depth > MAX_DEPTH) {
              return "XML elements nested more than " + MAX_DEPTH + " deep are not accepted";
            }
          }
          case XMLStreamConstants.END_ELEMENT -> depth--;
          default -> {}
        }
      }
      return null;
    } catch (XMLStreamException e) {
      return null; // not well-formed: HAPI's strict parser answers 400 naming the problem
    } finally {
      if (reader != null) {
        try {
          reader.close();
        } catch (XMLStreamException ignored) {
          // nothing held beyond the byte array
        }
      }
    }
  }

  private static XMLInputFactory factory() {
    XMLInputFactory f = XMLInputFactory.newDefaultFactory();
    // report the DTD as an event, but never read or apply it
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
    return f;
  }
}
