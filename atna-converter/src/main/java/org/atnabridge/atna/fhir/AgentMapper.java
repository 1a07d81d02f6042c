package org.atnabridge.atna.fhir;

import java.util.List;
import java.util.Set;
import org.atnabridge.atna.dicom.ActiveParticipant;
import org.atnabridge.atna.dicom.CodedValue;
import org.atnabridge.atna.fhir.Codings.Context;
import org.atnabridge.schemas.vocab.Extensions;
import org.atnabridge.schemas.vocab.NetworkAccessPointType;
import org.hl7.fhir.r5.model.AuditEvent.AuditEventAgentComponent;
import org.hl7.fhir.r5.model.AuditEvent.AuditEventEntityComponent;
import org.hl7.fhir.r5.model.CodeType;
import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.Reference;
import org.hl7.fhir.r5.model.StringType;
import org.hl7.fhir.r5.model.UriType;
import org.jspecify.annotations.Nullable;

/**
 * ActiveParticipant → AuditEvent.agent (R5 AuditEvent DICOM mappings), and MediaIdentifier as an
 * entity used by its agent.
 */
final class AgentMapper {

  private AgentMapper() {}

  static AuditEventAgentComponent agent(ActiveParticipant p, Set<ConversionFlag> flags) {
    AuditEventAgentComponent a = new AuditEventAgentComponent();
    Reference who = new Reference();
    if (!p.userId().isEmpty()) {
      who.setIdentifier(new Identifier().setValue(p.userId()));
    } else {
      flags.add(ConversionFlag.USER_ID_MISSING);
      if (p.userName() == null) {
        who.addExtension(Extensions.HL7_DATA_ABSENT_REASON, new CodeType("unknown"));
      }
    }
    if (p.userName() != null) {
      who.setDisplay(p.userName());
    }
    a.setWho(who);
    if (p.userIsRequestor() != null) {
      a.setRequestor(p.userIsRequestor());
    } else {
      a.setRequestor(true);
      flags.add(ConversionFlag.REQUESTOR_DEFAULTED);
    }
    List<CodedValue> roles = p.roleIdCodes();
    for (int i = 0; i < roles.size(); i++) {
      CodeableConcept cc = Codings.concept(roles.get(i), Context.ROLE_ID);
      if (i == 0) {
        a.setType(cc);
      } else {
        a.addRole(cc);
      }
    }
    if (p.networkAccessPointId() != null) {
      network(a, p.networkAccessPointId(), p.networkAccessPointTypeCode());
    }
    if (p.alternativeUserId() != null) {
      a.addExtension(
          Extensions.HL7_ALTERNATIVE_USER_ID, new Identifier().setValue(p.alternativeUserId()));
    }
    return a;
  }

  /**
   * NetworkAccessPointID by TypeCode (R5 agent.network[x]): 1 host, 2 IP as {@code [ip]}, 3 tel:, 4
   * mailto:, 5 URI.
   */
  private static void network(AuditEventAgentComponent a, String id, @Nullable String type) {
    String t = type == null ? "" : type;
    switch (t) {
      case "1" -> a.setNetwork(new StringType(id));
      case "2" -> a.setNetwork(new StringType(id.startsWith("[") ? id : "[" + id + "]"));
      case "3" ->
          a.setNetwork(new UriType(id.regionMatches(true, 0, "tel:", 0, 4) ? id : "tel:" + id));
      case "4" ->
          a.setNetwork(
              new UriType(id.regionMatches(true, 0, "mailto:", 0, 7) ? id : "mailto:" + id));
      case "5" -> a.setNetwork(new UriType(id));
      default -> a.setNetwork(id.contains("://") ? new UriType(id) : new StringType(id));
    }
    Coding networkType = t.isEmpty() ? null : NetworkAccessPointType.coding(t);
    if (networkType != null) {
      a.addExtension(Extensions.NETWORK_ACCESS_POINT_TYPE, networkType);
    }
  }

  /**
   * MediaIdentifier/MediaType as an entity whose {@code agent} is the participant that used it (R5
   * entity.agent).
   */
  static AuditEventEntityComponent mediaEntity(CodedValue media, AuditEventAgentComponent agent) {
    AuditEventEntityComponent en = new AuditEventEntityComponent();
    en.setWhat(
        new Reference()
            .setType("Device")
            .setIdentifier(new Identifier().setType(Codings.concept(media, Context.MEDIA_TYPE)))
            .setDisplay(media.meaning() != null ? media.meaning() : media.code()));
    en.addAgent(agent.copy());
    return en;
  }
}
