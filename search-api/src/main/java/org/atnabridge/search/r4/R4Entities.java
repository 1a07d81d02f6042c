package org.atnabridge.search.r4;

import java.util.Set;
import org.atnabridge.schemas.vocab.CodeSystems;
import org.atnabridge.schemas.vocab.Extensions;
import org.hl7.fhir.r5.model.AuditEvent.AuditEventEntityComponent;
import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.Extension;
import org.hl7.fhir.r5.model.StringType;
import org.jspecify.annotations.Nullable;

/**
 * What {@code AuditEvent40_50} leaves out of an R4 entity. Above all {@code type}, which R5 dropped
 * and BALP slices entities by (transaction: BasicAuditEntityType#XrequestId; data and query:
 * audit-entity-type#2; patient: #1): the DICOM ParticipantObjectTypeCode the converter kept in the
 * {@code participant-object-type} extension, else what the entity is (an X-Request-Id, a Patient, a
 * query or a resource). Also {@code name} (R5 {@code what.display}), {@code description} and {@code
 * lifecycle} from their extensions.
 */
final class R4Entities {

  /** ROLE codes of the BALP RestObjectRoles value set (the data entity): 3 Report, 4, 20 Job. */
  private static final Set<String> DATA_ROLES = Set.of("3", "4", "20");

  private static final String QUERY_ROLE = "24";

  /** The detail type under which the access log converter and the self-audit keep the query. */
  private static final String QUERY_STRING = "query-string";

  private R4Entities() {}

  static void project(
      AuditEventEntityComponent r5, org.hl7.fhir.r4.model.AuditEvent.AuditEventEntityComponent r4) {
    Coding type = type(r5);
    if (type != null) {
      r4.setType(
          new org.hl7.fhir.r4.model.Coding(type.getSystem(), type.getCode(), type.getDisplay()));
    }
    // R4 sev-1: an entity has a name or a query, not both
    if (r5.getWhat().hasDisplay() && !r5.hasQuery()) {
      r4.setName(r5.getWhat().getDisplay());
    }
    String described = description(r5);
    String description =
        described == null && QUERY_ROLE.equals(objectRole(r5.getRole()))
            ? queryString(r4)
            : described;
    if (description != null) {
      r4.setDescription(description);
    }
    Coding lifecycle = lifecycle(r5);
    if (lifecycle != null) {
      r4.setLifecycle(
          new org.hl7.fhir.r4.model.Coding(
              lifecycle.getSystem(), lifecycle.getCode(), lifecycle.getDisplay()));
    }
    r4.getExtension()
        .removeIf(
            e ->
                Extensions.PARTICIPANT_OBJECT_TYPE.equals(e.getUrl())
                    || (Extensions.HL7_LIFECYCLE.equals(e.getUrl()) && lifecycle != null)
                    || (Extensions.PARTICIPANT_OBJECT_DESCRIPTION.equals(e.getUrl())
                        && described != null
                        && e.getExtension().size() == 1));
  }

  /** The R4 entity type: the DICOM one when the event kept it, else by what the entity is. */
  static @Nullable Coding type(AuditEventEntityComponent r5) {
    for (Extension ext : r5.getExtension()) {
      if (Extensions.PARTICIPANT_OBJECT_TYPE.equals(ext.getUrl())
          && ext.getValue() instanceof Coding c
          && c.hasCode()) {
        return c;
      }
    }
    for (Coding role : r5.getRole().getCoding()) {
      if (CodeSystems.BALP_ENTITY_TYPE.equals(role.getSystem()) && role.hasCode()) {
        return role; // BALP transaction entity: X-Request-Id
      }
    }
    String role = objectRole(r5.getRole());
    // a Patient read or updated is the data (role 4), the patient subject has role 1
    if ("1".equals(role) || (role == null && isPatient(r5))) {
      return new Coding(CodeSystems.AUDIT_ENTITY_TYPE, "1", "Person");
    }
    boolean resource =
        r5.getWhat().hasReference() || r5.getWhat().hasType() || r5.getWhat().hasIdentifier();
    if (QUERY_ROLE.equals(role) || (role != null && DATA_ROLES.contains(role)) || resource) {
      return new Coding(CodeSystems.AUDIT_ENTITY_TYPE, "2", "System Object");
    }
    return null;
  }

  /**
   * BALP's query entity has no detail (0..0) and carries the cleaned query string as {@code
   * description}: the access log converter's and the self-audit's {@code query-string} detail moves
   * there.
   */
  private static @Nullable String queryString(
      org.hl7.fhir.r4.model.AuditEvent.AuditEventEntityComponent r4) {
    for (var detail : r4.getDetail()) {
      if (QUERY_STRING.equals(detail.getType())
          && detail.getValue() instanceof org.hl7.fhir.r4.model.StringType s
          && s.hasValue()) {
        r4.getDetail().remove(detail);
        return s.getValue();
      }
    }
    return null;
  }

  private static boolean isPatient(AuditEventEntityComponent r5) {
    String ref = r5.getWhat().hasReference() ? r5.getWhat().getReference() : "";
    return ref.startsWith("Patient/")
        || ref.contains("/Patient/")
        || "Patient".equals(r5.getWhat().getType());
  }

  private static @Nullable String objectRole(CodeableConcept role) {
    for (Coding c : role.getCoding()) {
      if (CodeSystems.OBJECT_ROLE.equals(c.getSystem())) {
        return c.getCode();
      }
    }
    return null;
  }

  private static @Nullable String description(AuditEventEntityComponent r5) {
    for (Extension ext : r5.getExtension()) {
      if (Extensions.PARTICIPANT_OBJECT_DESCRIPTION.equals(ext.getUrl())) {
        Extension text = ext.getExtensionByUrl(Extensions.DESCRIPTION_TEXT);
        if (text != null && text.getValue() instanceof StringType s && s.hasValue()) {
          return s.getValue();
        }
      }
    }
    return null;
  }

  private static @Nullable Coding lifecycle(AuditEventEntityComponent r5) {
    for (Extension ext : r5.getExtension()) {
      if (Extensions.HL7_LIFECYCLE.equals(ext.getUrl())
          && ext.getValue() instanceof CodeableConcept cc
          && cc.hasCoding()) {
        return cc.getCodingFirstRep();
      }
    }
    return null;
  }
}
