package org.atnabridge.atna.fhir;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import org.atnabridge.atna.dicom.ParticipantObjectIdentification;
import org.atnabridge.atna.dicom.ParticipantObjectIdentification.Description;
import org.atnabridge.atna.dicom.ParticipantObjectIdentification.Detail;
import org.atnabridge.atna.dicom.ParticipantObjectIdentification.SopClass;
import org.atnabridge.atna.fhir.Codings.Context;
import org.atnabridge.schemas.vocab.CodeSystems;
import org.atnabridge.schemas.vocab.Extensions;
import org.hl7.fhir.r5.model.AuditEvent.AuditEventEntityComponent;
import org.hl7.fhir.r5.model.AuditEvent.AuditEventEntityDetailComponent;
import org.hl7.fhir.r5.model.Base64BinaryType;
import org.hl7.fhir.r5.model.BooleanType;
import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.Extension;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.Reference;
import org.hl7.fhir.r5.model.StringType;
import org.jspecify.annotations.Nullable;

/**
 * ParticipantObjectIdentification → AuditEvent.entity and the patient reference (R5 AuditEvent
 * DICOM mappings).
 */
final class EntityMapper {

  private EntityMapper() {}

  static AuditEventEntityComponent entity(
      ParticipantObjectIdentification o, Set<ConversionFlag> flags) {
    AuditEventEntityComponent en = new AuditEventEntityComponent();
    Reference what = new Reference();
    if (o.isPatient() && o.id() != null) {
      what.setIdentifier(patientIdentifier(o));
      if (!what.getIdentifier().getValue().equals(o.id())) {
        en.addExtension(Extensions.PARTICIPANT_OBJECT_ID, new StringType(o.id()));
      }
    } else if (o.id() != null || o.idTypeCode() != null) {
      Identifier identifier = new Identifier();
      if (o.id() != null) {
        identifier.setValue(o.id());
      }
      if (o.idTypeCode() != null) {
        identifier.setType(Codings.concept(o.idTypeCode(), Context.OBJECT_ID_TYPE));
      }
      what.setIdentifier(identifier);
    }
    if (o.name() != null) {
      what.setDisplay(o.name());
    }
    String resourceType = resourceType(o);
    if (resourceType != null) {
      what.setType(resourceType);
    }
    String literal = RelativeReference.of(o.id(), resourceType);
    if (literal != null) {
      what.setReference(literal); // the identifier stays: identifier searches keep finding it
    }
    if (!what.isEmpty()) {
      en.setWhat(what);
    }
    if (o.typeCode() != null) {
      Coding type = Codings.entityType(o.typeCode());
      if (type != null) {
        en.addExtension(Extensions.PARTICIPANT_OBJECT_TYPE, type);
      } else {
        flags.add(ConversionFlag.CODE_OUT_OF_RANGE);
      }
    }
    if (o.typeCodeRole() != null) {
      Coding role = Codings.objectRole(o.typeCodeRole());
      if (role != null) {
        en.setRole(new CodeableConcept().addCoding(role));
      } else {
        en.setRole(new CodeableConcept().setText(o.typeCodeRole()));
        flags.add(ConversionFlag.CODE_OUT_OF_RANGE);
      }
    }
    if (o.dataLifeCycle() != null) {
      en.addExtension(Extensions.HL7_LIFECYCLE, Codings.lifecycle(o.dataLifeCycle()));
    }
    if (o.sensitivity() != null) {
      en.addSecurityLabel(new CodeableConcept().setText(o.sensitivity()));
    }
    if (o.query() != null) {
      byte[] decoded = decodeBase64(o.query());
      if (decoded != null) {
        en.setQueryElement(new Base64BinaryType(decoded));
      } else {
        en.setQuery(o.query().getBytes(StandardCharsets.UTF_8));
        flags.add(ConversionFlag.QUERY_NOT_BASE64);
      }
    }
    for (Detail d : o.details()) {
      AuditEventEntityDetailComponent detail = en.addDetail();
      detail.setType(new CodeableConcept().setText(d.type()));
      byte[] decoded = decodeBase64(d.value());
      if (decoded != null) {
        detail.setValue(new Base64BinaryType(decoded));
      } else {
        detail.setValue(new StringType(d.value()));
        flags.add(ConversionFlag.DETAIL_NOT_BASE64);
      }
    }
    for (Description d : o.descriptions()) {
      Extension ext = description(d);
      if (ext.hasExtension()) {
        en.addExtension(ext);
      }
    }
    return en;
  }

  /**
   * The resource type a participant object stands for (R5 dropped entity.type), from what TypeCode,
   * role and IDTypeCode say unambiguously; null when they do not.
   */
  private static @Nullable String resourceType(ParticipantObjectIdentification o) {
    if (o.isPatient()) {
      return "Patient";
    }
    String idType = o.idTypeCode() == null ? "" : o.idTypeCode().code();
    if ("110180".equals(idType)) {
      return "ImagingStudy"; // DCM Study Instance UID
    }
    if (XDS_SUBMISSION_SET.equalsIgnoreCase(idType)) {
      return "List"; // an XDS submission set is an MHD List
    }
    String type = o.typeCode() == null ? "" : o.typeCode();
    String role = o.typeCodeRole() == null ? "" : o.typeCodeRole();
    if (type.equals("3")) {
      return "Organization";
    }
    if (type.equals("1") && (role.equals("8") || role.equals("15"))) {
      return "Practitioner"; // Doctor, Provider
    }
    if (role.equals("2")) {
      return "Location";
    }
    if (type.equals("2") && role.equals("3")) {
      return "DocumentReference"; // a report (XDS document entry)
    }
    return null;
  }

  /**
   * XDS submission set classification node (ITI TF-3 §4.2.5), used as a
   * ParticipantObjectIDTypeCode.
   */
  private static final String XDS_SUBMISSION_SET = "urn:uuid:a54d6aa5-d40d-43f9-88c5-b4633d873bdd";

  private static Identifier patientIdentifier(ParticipantObjectIdentification o) {
    HL7Identifier cx = HL7Identifier.parse(o.id() == null ? "" : o.id());
    Identifier id = new Identifier().setValue(cx.value());
    if (cx.system() != null) {
      id.setSystem(cx.system());
    }
    if (cx.assigner() != null) {
      id.setAssigner(new Reference().setDisplay(cx.assigner()));
    }
    CodeableConcept type =
        o.idTypeCode() == null
            ? new CodeableConcept()
            : Codings.concept(o.idTypeCode(), Context.OBJECT_ID_TYPE);
    if (cx.typeCode() != null) {
      type.addCoding(new Coding(CodeSystems.V2_IDENTIFIER_TYPE, cx.typeCode(), null));
    }
    if (!type.isEmpty()) {
      id.setType(type);
    }
    return id;
  }

  static Reference patientReference(ParticipantObjectIdentification o) {
    Identifier full = patientIdentifier(o);
    Reference r =
        new Reference()
            .setType("Patient")
            .setIdentifier(new Identifier().setSystem(full.getSystem()).setValue(full.getValue()));
    String literal = RelativeReference.of(o.id(), "Patient");
    if (literal != null) {
      r.setReference(literal);
    }
    if (o.name() != null) {
      r.setDisplay(o.name());
    }
    return r;
  }

  private static Extension description(Description d) {
    Extension ext = new Extension(Extensions.PARTICIPANT_OBJECT_DESCRIPTION);
    if (d.text() != null) {
      ext.addExtension(Extensions.DESCRIPTION_TEXT, new StringType(d.text()));
    }
    d.mppsUids().forEach(u -> ext.addExtension("mpps", new Identifier().setValue(u)));
    d.accessionNumbers().forEach(n -> ext.addExtension("accession", new Identifier().setValue(n)));
    d.studyUids().forEach(u -> ext.addExtension("study", new Identifier().setValue(u)));
    for (SopClass s : d.sopClasses()) {
      Extension sop = new Extension("sop-class");
      sop.addExtension("uid", new StringType(s.uid()));
      if (s.numberOfInstances() != null) {
        sop.addExtension("number-of-instances", new StringType(s.numberOfInstances()));
      }
      s.instanceUids().forEach(u -> sop.addExtension("instance", new StringType(u)));
      ext.addExtension(sop);
    }
    if (d.encrypted() != null) {
      ext.addExtension("encrypted", new BooleanType(d.encrypted()));
    }
    if (d.anonymized() != null) {
      ext.addExtension("anonymized", new BooleanType(d.anonymized()));
    }
    return ext;
  }

  /**
   * The bytes of a base64 value, or null when it is not base64. The element is built from these
   * bytes: {@code new Base64BinaryType(String)} would decode and re-encode with commons-codec (two
   * 8 KiB buffers per value); HAPI stores the re-encoded form either way, so the output is the
   * same.
   */
  private static byte @Nullable [] decodeBase64(String s) {
    if (s.isEmpty()) {
      return null;
    }
    try {
      return Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
