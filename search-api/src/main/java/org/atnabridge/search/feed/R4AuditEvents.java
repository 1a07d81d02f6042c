package org.atnabridge.search.feed;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.schemas.vocab.CodeSystems;
import org.atnabridge.schemas.vocab.Extensions;
import org.atnabridge.schemas.vocab.NetworkAccessPointType;
import org.atnabridge.search.ParserMessages;
import org.hl7.fhir.convertors.factory.VersionConvertorFactory_40_50;
import org.hl7.fhir.exceptions.FHIRException;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.Extension;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.Reference;
import org.hl7.fhir.r5.model.Resource;
import org.hl7.fhir.r5.model.StringType;
import org.hl7.fhir.r5.model.UriType;

/**
 * R4 (BALP) AuditEvents and Bundles of them → R5, with HL7's converter ({@code AuditEvent40_50})
 * plus what it silently drops, mapped as the syslog converter maps the DICOM originals (R5
 * AuditEvent's DICOM mappings) so both kinds of event store and search alike:
 *
 * <ul>
 *   <li>{@code agent.name} → {@code agent.who.display}; {@code agent.altId} → extension {@code
 *       auditevent-AlternativeUserID};
 *   <li>{@code agent.network} → {@code agent.network[x]} (1 host and 2 IP as string, IP in {@code [
 *       ]}; 3 {@code tel:}, 4 {@code mailto:}, 5 as uri) and the type code in the {@code
 *       network-access-point-type} extension;
 *   <li>{@code source.site} (string) → {@code source.site} Reference with that identifier and
 *       display;
 *   <li>{@code entity.name} → {@code entity.what.display}; {@code entity.type} → the {@code
 *       participant-object-type} extension; {@code entity.lifecycle} → {@code
 *       auditevent-Lifecycle}; {@code entity.description} → the {@code
 *       participant-object-description} extension's {@code text};
 *   <li>R5 {@code patient} (which the R5 {@code patient} search parameter reads) from the entity
 *       whose {@code what} is a Patient, or that has type 1 and role 1 (BALP's patient entity).
 * </ul>
 *
 * {@code agent.media} has no R5 element and is not carried over.
 */
final class R4AuditEvents {

  private R4AuditEvents() {}

  /** HAPI's R4 context, built on first R4 post only (it takes a moment). */
  private static final class R4 {
    static final FhirContext CONTEXT = FhirContext.forR4Cached();
  }

  /**
   * Parses an R4 AuditEvent or Bundle strictly (unknown elements and wrong types are errors, as for
   * R5 posts) and returns it as an R5 body in the same encoding.
   */
  static byte[] toR5(byte[] body, boolean xml) {
    String text = new String(body, StandardCharsets.UTF_8);
    if (text.isBlank()) {
      throw new InvalidRequestException("the request has no body");
    }
    IParser parser = xml ? R4.CONTEXT.newXmlParser() : R4.CONTEXT.newJsonParser();
    parser.setParserErrorHandler(new StrictErrorHandler());
    org.hl7.fhir.r4.model.Resource r4;
    try {
      r4 = (org.hl7.fhir.r4.model.Resource) parser.parseResource(text);
    } catch (DataFormatException e) {
      throw new InvalidRequestException("not a valid FHIR R4 resource: " + message(e));
    }
    Resource r5 = toR5(r4, text);
    String out =
        xml
            ? Fhir.context().newXmlParser().encodeResourceToString(r5)
            : Fhir.context().newJsonParser().encodeResourceToString(r5);
    return out.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * An R4 AuditEvent, or a Bundle whose AuditEvent entries are converted each; {@code body} as
   * posted.
   */
  static Resource toR5(org.hl7.fhir.r4.model.Resource r4, String body) {
    Resource r5;
    try {
      r5 = VersionConvertorFactory_40_50.convertResource(r4);
    } catch (FHIRException e) {
      throw new InvalidRequestException(
          "cannot convert this R4 " + r4.fhirType() + " to R5: " + message(e));
    } catch (RuntimeException e) {
      throw new InvalidRequestException("cannot convert this R4 " + r4.fhirType() + " to R5");
    }
    if (r4 instanceof org.hl7.fhir.r4.model.AuditEvent event
        && r5 instanceof AuditEvent converted) {
      requireBase64(event, "AuditEvent", body);
      restore(event, converted);
    } else if (r4 instanceof org.hl7.fhir.r4.model.Bundle bundle
        && r5 instanceof Bundle converted) {
      for (int i = 0; i < bundle.getEntry().size() && i < converted.getEntry().size(); i++) {
        if (bundle.getEntry().get(i).getResource() instanceof org.hl7.fhir.r4.model.AuditEvent event
            && converted.getEntry().get(i).getResource() instanceof AuditEvent c) {
          requireBase64(event, "Bundle.entry[" + i + "].resource", body);
          restore(event, c);
        }
      }
    }
    return r5;
  }

  /**
   * {@code entity.query} and base64 details must arrive as canonical base64: the R4 model keeps
   * only the bytes it decoded (leniently, skipping what is not base64) and would store a value the
   * client never sent. So the value as re-encoded must occur verbatim in the body.
   */
  private static void requireBase64(
      org.hl7.fhir.r4.model.AuditEvent event, String path, String body) {
    for (int i = 0; i < event.getEntity().size(); i++) {
      var entity = event.getEntity().get(i);
      if (entity.hasQueryElement() && !body.contains(entity.getQueryElement().getValueAsString())) {
        throw new InvalidRequestException(path + ".entity[" + i + "].query is not valid base64");
      }
      for (int j = 0; j < entity.getDetail().size(); j++) {
        if (entity.getDetail().get(j).getValue() instanceof org.hl7.fhir.r4.model.Base64BinaryType b
            && !body.contains(b.getValueAsString())) {
          throw new InvalidRequestException(
              path + ".entity[" + i + "].detail[" + j + "].value is not valid base64");
        }
      }
    }
  }

  /** Puts back into {@code r5} what {@code AuditEvent40_50} left out of {@code r4}. */
  static void restore(org.hl7.fhir.r4.model.AuditEvent r4, AuditEvent r5) {
    for (int i = 0; i < r4.getAgent().size() && i < r5.getAgent().size(); i++) {
      agent(r4.getAgent().get(i), r5.getAgent().get(i));
    }
    if (r4.hasSource() && r4.getSource().hasSite() && !r5.getSource().hasSite()) {
      String site = r4.getSource().getSite();
      r5.getSource()
          .setSite(new Reference().setIdentifier(new Identifier().setValue(site)).setDisplay(site));
    }
    for (int i = 0; i < r4.getEntity().size() && i < r5.getEntity().size(); i++) {
      entity(r4.getEntity().get(i), r5.getEntity().get(i));
    }
    if (!r5.hasPatient()) {
      // BALP's patient entity (type 1, role 1) first: a read Patient (role 4) is the data entity
      int patient = -1;
      for (int i = 0; i < r4.getEntity().size() && i < r5.getEntity().size(); i++) {
        if (r5.getEntity().get(i).hasWhat()) {
          if (isPatientSubject(r4.getEntity().get(i))) {
            patient = i;
            break;
          }
          if (patient < 0 && isPatient(r4.getEntity().get(i))) {
            patient = i;
          }
        }
      }
      if (patient >= 0) {
        r5.setPatient(r5.getEntity().get(patient).getWhat().copy());
      }
    }
  }

  private static void agent(
      org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentComponent r4,
      AuditEvent.AuditEventAgentComponent r5) {
    if (r4.hasName() && !r5.getWho().hasDisplay()) {
      r5.getWho().setDisplay(r4.getName());
    }
    if (r4.hasAltId()) {
      r5.addExtension(Extensions.HL7_ALTERNATIVE_USER_ID, new Identifier().setValue(r4.getAltId()));
    }
    if (r4.hasNetwork() && r4.getNetwork().hasAddress() && !r5.hasNetwork()) {
      String address = r4.getNetwork().getAddress();
      String type = r4.getNetwork().hasType() ? r4.getNetwork().getType().toCode() : "";
      r5.setNetwork(
          switch (type) {
            case "1" -> new StringType(address);
            case "2" -> new StringType(address.startsWith("[") ? address : "[" + address + "]");
            case "3" -> new UriType(prefixed(address, "tel:"));
            case "4" -> new UriType(prefixed(address, "mailto:"));
            case "5" -> new UriType(address);
            default -> address.contains("://") ? new UriType(address) : new StringType(address);
          });
      Coding networkType = type.isEmpty() ? null : NetworkAccessPointType.coding(type);
      if (networkType != null) {
        r5.addExtension(Extensions.NETWORK_ACCESS_POINT_TYPE, networkType);
      }
    }
  }

  private static void entity(
      org.hl7.fhir.r4.model.AuditEvent.AuditEventEntityComponent r4,
      AuditEvent.AuditEventEntityComponent r5) {
    if (r4.hasName() && !r5.getWhat().hasDisplay()) {
      r5.getWhat().setDisplay(r4.getName());
    }
    if (r4.hasType()) {
      r5.addExtension(Extensions.PARTICIPANT_OBJECT_TYPE, coding(r4.getType()));
    }
    if (r4.hasLifecycle()) {
      r5.addExtension(
          Extensions.HL7_LIFECYCLE,
          new org.hl7.fhir.r5.model.CodeableConcept().addCoding(coding(r4.getLifecycle())));
    }
    if (r4.hasDescription()) {
      Extension description = new Extension(Extensions.PARTICIPANT_OBJECT_DESCRIPTION);
      description.addExtension("text", new StringType(r4.getDescription()));
      r5.addExtension(description);
    }
  }

  private static boolean isPatient(org.hl7.fhir.r4.model.AuditEvent.AuditEventEntityComponent e) {
    String ref = e.hasWhat() && e.getWhat().hasReference() ? e.getWhat().getReference() : "";
    return ref.startsWith("Patient/") || ref.contains("/Patient/") || isPatientSubject(e);
  }

  private static boolean isPatientSubject(
      org.hl7.fhir.r4.model.AuditEvent.AuditEventEntityComponent e) {
    return e.hasType()
        && "1".equals(e.getType().getCode())
        && CodeSystems.AUDIT_ENTITY_TYPE.equals(e.getType().getSystem())
        && e.hasRole()
        && "1".equals(e.getRole().getCode());
  }

  private static Coding coding(org.hl7.fhir.r4.model.Coding c) {
    return new Coding(c.getSystem(), c.getCode(), c.getDisplay());
  }

  private static String prefixed(String value, String scheme) {
    return value.toLowerCase(Locale.ROOT).startsWith(scheme) ? value : scheme + value;
  }

  private static String message(Throwable e) {
    return ParserMessages.clean(e.getMessage());
  }
}
