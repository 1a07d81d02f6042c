package org.atnabridge.atna.dicom;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.atnabridge.atna.ConversionException;
import org.atnabridge.atna.ConversionFailure;
import org.atnabridge.atna.dicom.ParticipantObjectIdentification.Description;
import org.atnabridge.atna.dicom.ParticipantObjectIdentification.Detail;
import org.atnabridge.atna.dicom.ParticipantObjectIdentification.SopClass;
import org.jspecify.annotations.Nullable;

/**
 * Builds the {@link AuditMessage} model from a parsed tree (DICOM PS3.15 A.5 and RFC 3881 forms
 * alike): element names matched by local name, case-insensitively; unknown content ignored.
 */
final class AuditMessageBuilder {

  private AuditMessageBuilder() {}

  static AuditMessage toMessage(XmlNode root) throws ConversionException {
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
