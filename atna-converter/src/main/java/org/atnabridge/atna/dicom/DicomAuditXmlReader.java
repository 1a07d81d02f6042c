package org.atnabridge.atna.dicom;

import java.io.ByteArrayInputStream;
import java.io.CharConversionException;
import java.nio.charset.CharacterCodingException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import javax.xml.XMLConstants;
import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.atnabridge.atna.ConversionException;
import org.atnabridge.atna.ConversionFailure;
import org.atnabridge.atna.dicom.ParticipantObjectIdentification.Description;
import org.atnabridge.atna.dicom.ParticipantObjectIdentification.Detail;
import org.atnabridge.atna.dicom.ParticipantObjectIdentification.SopClass;
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
    return toMessage(root);
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

  private static AuditMessage toMessage(XmlNode root) throws ConversionException {
    XmlNode ei = root.first("EventIdentification");
    if (ei == null) {
      throw missing("EventIdentification");
    }
    XmlNode eventIdNode = ei.first("EventID");
    CodedValue eventId = eventIdNode == null ? null : coded(eventIdNode);
    if (eventId == null) {
      throw missing("EventIdentification/EventID");
    }
    EventIdentification event =
        new EventIdentification(
            eventId,
            codedList(ei.all("EventTypeCode")),
            ei.attr("EventActionCode"),
            ei.attr("EventDateTime"),
            ei.attr("EventOutcomeIndicator"),
            ei.attrOrChild("EventOutcomeDescription"),
            codedList(ei.all("PurposeOfUse")));

    List<ActiveParticipant> participants = new ArrayList<>();
    for (XmlNode ap : root.all("ActiveParticipant")) {
      participants.add(participant(ap));
    }
    if (participants.isEmpty()) {
      throw missing("ActiveParticipant");
    }
    List<AuditSourceIdentification> sources = new ArrayList<>();
    for (XmlNode as : root.all("AuditSourceIdentification")) {
      String id = as.attrOrChild("AuditSourceID");
      List<CodedValue> types = new ArrayList<>();
      String attrType = as.attr("AuditSourceTypeCode");
      if (attrType != null) {
        types.add(new CodedValue(attrType, null, null, null, null));
      }
      types.addAll(codedList(as.all("AuditSourceTypeCode")));
      sources.add(
          new AuditSourceIdentification(
              id == null ? "" : id, as.attrOrChild("AuditEnterpriseSiteID"), types));
    }
    List<ParticipantObjectIdentification> objects = new ArrayList<>();
    for (XmlNode po : root.all("ParticipantObjectIdentification")) {
      objects.add(participantObject(po));
    }
    return new AuditMessage(event, participants, sources, objects);
  }

  private static ActiveParticipant participant(XmlNode ap) {
    XmlNode media = ap.first("MediaIdentifier");
    XmlNode mediaType = media != null ? media.first("MediaType") : ap.first("MediaType");
    String userId = ap.attr("UserID");
    return new ActiveParticipant(
        userId == null ? "" : userId,
        ap.attr("AlternativeUserID"),
        ap.attr("UserName"),
        bool(ap.attr("UserIsRequestor")),
        ap.attr("NetworkAccessPointID"),
        ap.attr("NetworkAccessPointTypeCode"),
        codedList(ap.all("RoleIDCode")),
        mediaType == null ? null : coded(mediaType));
  }

  private static ParticipantObjectIdentification participantObject(XmlNode po) {
    XmlNode idType = po.first("ParticipantObjectIDTypeCode");
    String query = po.attrOrChild("ParticipantObjectQuery");
    List<Detail> details = new ArrayList<>();
    for (XmlNode d : po.all("ParticipantObjectDetail")) {
      String type = d.attr("type");
      String value = d.attr("value");
      if (type != null || value != null) {
        details.add(
            new Detail(type == null ? "" : type, value == null ? "" : removeWhitespace(value)));
      }
    }
    List<Description> descriptions = new ArrayList<>();
    for (XmlNode d : po.all("ParticipantObjectDescription")) {
      descriptions.add(description(d));
    }
    return new ParticipantObjectIdentification(
        po.attr("ParticipantObjectID"),
        po.attr("ParticipantObjectTypeCode"),
        po.attr("ParticipantObjectTypeCodeRole"),
        po.attr("ParticipantObjectDataLifeCycle"),
        po.attr("ParticipantObjectSensitivity"),
        idType == null ? null : coded(idType),
        po.attrOrChild("ParticipantObjectName"),
        query == null ? null : removeWhitespace(query),
        details,
        descriptions);
  }

  private static Description description(XmlNode d) {
    List<String> mpps = attrs(d.all("MPPS"), "UID");
    List<String> accession = attrs(d.all("Accession"), "Number");
    List<SopClass> sop = new ArrayList<>();
    for (XmlNode s : d.all("SOPClass")) {
      String uid = s.attr("UID");
      if (uid != null) {
        sop.add(new SopClass(uid, s.attr("NumberOfInstances"), attrs(s.all("Instance"), "UID")));
      }
    }
    List<String> studies = new ArrayList<>();
    for (XmlNode c : d.all("ParticipantObjectContainsStudy")) {
      studies.addAll(attrs(c.all("StudyIDs"), "UID"));
    }
    return new Description(
        d.text(),
        mpps,
        accession,
        sop,
        studies,
        flag(d.first("Encrypted")),
        flag(d.first("Anonymized")));
  }

  /** {@code s.replaceAll("\\s+", "")} without a regex (\\s is [ \\t\\n\\x0B\\f\\r]). */
  static String removeWhitespace(String s) {
    int n = s.length();
    int i = 0;
    while (i < n && !isRegexSpace(s.charAt(i))) {
      i++;
    }
    if (i == n) {
      return s;
    }
    StringBuilder out = new StringBuilder(n - 1).append(s, 0, i);
    for (; i < n; i++) {
      char c = s.charAt(i);
      if (!isRegexSpace(c)) {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static boolean isRegexSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
  }

  private static @Nullable Boolean flag(@Nullable XmlNode n) {
    if (n == null) {
      return null;
    }
    String v = n.text();
    return bool(v != null ? v : n.attr("value"));
  }

  private static List<String> attrs(List<XmlNode> nodes, String attribute) {
    List<String> out = new ArrayList<>();
    for (XmlNode n : nodes) {
      String v = n.attr(attribute);
      if (v != null) {
        out.add(v);
      }
    }
    return out;
  }

  private static List<CodedValue> codedList(List<XmlNode> nodes) {
    List<CodedValue> out = new ArrayList<>();
    for (XmlNode n : nodes) {
      CodedValue c = coded(n);
      if (c != null) {
        out.add(c);
      }
    }
    return out;
  }

  /**
   * DICOM and RFC 3881 CodedValueType (DICOM PS3.15 A.5.1); the element text is a last resort for
   * bare codes.
   */
  private static @Nullable CodedValue coded(XmlNode n) {
    String code = n.attr("csd-code");
    if (code == null) {
      code = n.attr("code");
    }
    if (code == null) {
      code = n.text();
    }
    if (code == null) {
      return null;
    }
    return new CodedValue(
        code,
        n.attr("codeSystemName"),
        n.attr("codeSystem"),
        n.attr("originalText"),
        n.attr("displayName"));
  }

  private static @Nullable Boolean bool(@Nullable String s) {
    if (s == null) {
      return null;
    }
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "true", "1" -> Boolean.TRUE;
      case "false", "0" -> Boolean.FALSE;
      default -> null;
    };
  }

  private static ConversionException missing(String element) {
    return new ConversionException(ConversionFailure.MISSING_ELEMENT, element);
  }
}
