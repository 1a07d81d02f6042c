package org.atnabridge.atna.dicom;

import java.io.ByteArrayInputStream;
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
 * rejected as {@link ConversionFailure#XML_UNSAFE} before an entity could be declared (XXE,
 * billion laughs). Nesting is capped. The encoding comes from the BOM or XML declaration.
 *
 * <p>Leniency (standards §2.4): {@code csd-code} or {@code code}; {@code originalText} or
 * {@code displayName}; element names matched by local name, case-insensitively; unknown content
 * ignored. Thread-safe: a factory is made per call (cheap for the JDK implementation, whose
 * factory is not documented as thread-safe).
 */
public final class DicomAuditXmlReader {

  private final int maxDepth;

  public DicomAuditXmlReader(int maxDepth) {
    if (maxDepth <= 0) {
      throw new IllegalArgumentException("maxDepth <= 0");
    }
    this.maxDepth = maxDepth;
  }

  public AuditMessage read(byte[] buffer, int offset, int length) throws ConversionException {
    XmlNode root = parseTree(buffer, offset, length);
    if (!root.is("AuditMessage")) {
      throw new ConversionException(ConversionFailure.NOT_AUDIT_MESSAGE,
          "root element is <" + root.name + ">, not <AuditMessage>");
    }
    return toMessage(root);
  }

  private XmlNode parseTree(byte[] buffer, int offset, int length) throws ConversionException {
    XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    factory.setProperty(XMLInputFactory.IS_COALESCING, true);
    factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
    factory.setXMLResolver((publicId, systemId, baseUri, namespace) -> {
      throw new XMLStreamException("external resource refused: " + systemId);
    });
    XMLStreamReader r = null;
    Deque<XmlNode> stack = new ArrayDeque<>();
    XmlNode root = null;
    try {
      r = factory.createXMLStreamReader(new ByteArrayInputStream(buffer, offset, length));
      while (r.hasNext()) {
        switch (r.next()) {
          case XMLStreamConstants.DTD -> throw new ConversionException(ConversionFailure.XML_UNSAFE,
              "XML with a DOCTYPE is refused (DTDs and entities are never processed)");
          case XMLStreamConstants.ENTITY_REFERENCE -> throw new ConversionException(ConversionFailure.XML_UNSAFE,
              "XML entity reference &" + r.getLocalName() + "; is refused");
          case XMLStreamConstants.START_ELEMENT -> {
            if (stack.size() >= maxDepth) {
              throw new ConversionException(ConversionFailure.TOO_DEEP, "XML nesting deeper than " + maxDepth + " elements");
            }
            XmlNode node = new XmlNode(r.getLocalName());
            for (int i = 0; i < r.getAttributeCount(); i++) {
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
          case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
            if (!stack.isEmpty()) {
              stack.peek().appendText(r.getText());
            }
          }
          default -> { /* comments, processing instructions, document start/end */ }
        }
      }
    } catch (XMLStreamException e) {
      throw new ConversionException(ConversionFailure.NOT_XML, "not well-formed XML" + where(e.getLocation()) + ": " + reason(e), e);
    } finally {
      close(r);
    }
    if (root == null) {
      throw new ConversionException(ConversionFailure.NOT_XML, "no root element");
    }
    return root;
  }

  private static String where(@Nullable Location l) {
    return l == null || l.getLineNumber() < 0 ? "" : " (line " + l.getLineNumber() + ", column " + l.getColumnNumber() + ")";
  }

  /** The parser's own reason without the "ParseError at [row,col]" preamble the JDK prepends. */
  private static String reason(XMLStreamException e) {
    String m = String.valueOf(e.getMessage());
    int i = m.indexOf("Message: ");
    return (i >= 0 ? m.substring(i + 9) : m).strip();
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
      throw invalid("AuditMessage has no EventIdentification");
    }
    XmlNode eventIdNode = ei.first("EventID");
    CodedValue eventId = eventIdNode == null ? null : coded(eventIdNode);
    if (eventId == null) {
      throw invalid("EventIdentification has no EventID code");
    }
    EventIdentification event = new EventIdentification(eventId, codedList(ei.all("EventTypeCode")),
        ei.attr("EventActionCode"), ei.attr("EventDateTime"), ei.attr("EventOutcomeIndicator"),
        ei.attrOrChild("EventOutcomeDescription"), codedList(ei.all("PurposeOfUse")));

    List<ActiveParticipant> participants = new ArrayList<>();
    for (XmlNode ap : root.all("ActiveParticipant")) {
      participants.add(participant(ap));
    }
    if (participants.isEmpty()) {
      throw invalid("AuditMessage has no ActiveParticipant");
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
      sources.add(new AuditSourceIdentification(id == null ? "" : id, as.attrOrChild("AuditEnterpriseSiteID"), types));
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
    return new ActiveParticipant(userId == null ? "" : userId, ap.attr("AlternativeUserID"), ap.attr("UserName"),
        bool(ap.attr("UserIsRequestor")), ap.attr("NetworkAccessPointID"), ap.attr("NetworkAccessPointTypeCode"),
        codedList(ap.all("RoleIDCode")), mediaType == null ? null : coded(mediaType));
  }

  private static ParticipantObjectIdentification participantObject(XmlNode po) {
    XmlNode idType = po.first("ParticipantObjectIDTypeCode");
    String query = po.attrOrChild("ParticipantObjectQuery");
    List<Detail> details = new ArrayList<>();
    for (XmlNode d : po.all("ParticipantObjectDetail")) {
      String type = d.attr("type");
      String value = d.attr("value");
      if (type != null || value != null) {
        details.add(new Detail(type == null ? "" : type, value == null ? "" : value.replaceAll("\\s+", "")));
      }
    }
    List<Description> descriptions = new ArrayList<>();
    for (XmlNode d : po.all("ParticipantObjectDescription")) {
      descriptions.add(description(d));
    }
    return new ParticipantObjectIdentification(po.attr("ParticipantObjectID"), po.attr("ParticipantObjectTypeCode"),
        po.attr("ParticipantObjectTypeCodeRole"), po.attr("ParticipantObjectDataLifeCycle"),
        po.attr("ParticipantObjectSensitivity"), idType == null ? null : coded(idType),
        po.attrOrChild("ParticipantObjectName"), query == null ? null : query.replaceAll("\\s+", ""), details, descriptions);
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
    return new Description(d.text(), mpps, accession, sop, studies, flag(d.first("Encrypted")), flag(d.first("Anonymized")));
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

  /** DICOM and RFC 3881 CodedValueType (standards §2.2); the element text is a last resort for bare codes. */
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
    return new CodedValue(code, n.attr("codeSystemName"), n.attr("codeSystem"), n.attr("originalText"), n.attr("displayName"));
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

  private static ConversionException invalid(String reason) {
    return new ConversionException(ConversionFailure.INVALID_AUDIT_MESSAGE, reason);
  }
}
