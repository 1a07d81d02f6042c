package org.atnabridge.streams.alert;

import static org.atnabridge.schemas.vocab.CodeSystems.V3_ACT_CODE;
import static org.atnabridge.schemas.vocab.CodeSystems.V3_CONFIDENTIALITY;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.atnabridge.streams.alert.rules.KindSpec.Relation;
import org.atnabridge.streams.enrich.ReferenceLookup;
import org.atnabridge.streams.reference.ReferenceResources;
import org.hl7.fhir.r5.model.Address;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.HumanName;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.Patient;
import org.hl7.fhir.r5.model.Practitioner;
import org.hl7.fhir.r5.model.Reference;
import org.hl7.fhir.r5.model.Resource;
import org.hl7.fhir.r5.model.StringType;
import org.jspecify.annotations.Nullable;

/**
 * Whether an event's user and patient are related in the reference data, looked up as the
 * enrichment does: a user by its identifier value in {@code reference.people}, a patient by {@code
 * system|value} in {@code reference.patients} (never by the value alone: a value is unique only
 * within its assigning authority, HL7 v2 CX-4).
 */
final class Relations {

  /** v3-ActCode CEL "celebrity": what the reference data's VIP flag is stored as. */
  static final String CELEBRITY = "CEL";

  private final ReferenceLookup refs;

  Relations(ReferenceLookup refs) {
    this.refs = refs;
  }

  /** True when any of {@code relations} holds between a user and a patient of the event. */
  boolean related(AuditEvent e, Set<Relation> relations) {
    List<Patient> patients = patients(e);
    if (relations.contains(Relation.VIP)
        && (labelled(e.getMeta().getSecurity(), V3_ACT_CODE, Set.of(CELEBRITY))
            || patients.stream()
                .anyMatch(
                    p -> labelled(p.getMeta().getSecurity(), V3_ACT_CODE, Set.of(CELEBRITY))))) {
      return true;
    }
    Set<String> restricted = Set.of("R", "V");
    if (relations.contains(Relation.RESTRICTED)
        && (labelled(e.getMeta().getSecurity(), V3_CONFIDENTIALITY, restricted)
            || patients.stream()
                .anyMatch(
                    p -> labelled(p.getMeta().getSecurity(), V3_CONFIDENTIALITY, restricted)))) {
      return true;
    }
    if (patients.isEmpty()) {
      return false;
    }
    for (AuditEvent.AuditEventAgentComponent agent : e.getAgent()) {
      Identifier id = agent.getWho().getIdentifier();
      if (!agent.getWho().hasIdentifier() || !id.hasValue()) {
        continue;
      }
      Resource person = refs.person(id.getValue());
      for (Patient patient : patients) {
        if (relations.contains(Relation.SAME_PERSON) && samePerson(id, person, patient)) {
          return true;
        }
        if (person instanceof Practitioner p) {
          if (relations.contains(Relation.SAME_FAMILY_NAME)
              && intersect(families(p.getName()), families(patient.getName()))) {
            return true;
          }
          if (relations.contains(Relation.SAME_ADDRESS)
              && intersect(addresses(p.getAddress()), addresses(patient.getAddress()))) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** The Patient resources of the event's patient references that the reference data knows. */
  private List<Patient> patients(AuditEvent e) {
    List<Patient> out = new ArrayList<>();
    for (Reference r : EventParties.patientReferences(e)) {
      Identifier id = r.getIdentifier();
      if (!r.hasIdentifier() || !id.hasSystem() || !id.hasValue()) {
        continue;
      }
      Resource found = refs.patient(ReferenceResources.patientKey(id.getSystem(), id.getValue()));
      if (found instanceof Patient p
          && ReferenceResources.hasIdentifier(p, id.getSystem(), id.getValue())) {
        out.add(p);
      }
    }
    return out;
  }

  /**
   * The user's identifier is one of the patient's (its system too when it has one), or the user's
   * reference record shares an identifier (system and value) with the patient.
   */
  private static boolean samePerson(Identifier user, @Nullable Resource person, Patient patient) {
    for (Identifier pid : patient.getIdentifier()) {
      if (user.getValue().equals(pid.getValue())
          && (!user.hasSystem() || user.getSystem().equals(pid.getSystem()))) {
        return true;
      }
    }
    if (person == null) {
      return false;
    }
    for (Identifier i : ReferenceResources.identifiers(person)) {
      if (i.hasSystem()
          && i.hasValue()
          && ReferenceResources.hasIdentifier(patient, i.getSystem(), i.getValue())) {
        return true;
      }
    }
    return false;
  }

  private static boolean labelled(List<Coding> security, String system, Set<String> codes) {
    return security.stream()
        .anyMatch(c -> system.equals(c.getSystem()) && codes.contains(c.getCode()));
  }

  private static Set<String> families(List<HumanName> names) {
    Set<String> out = new HashSet<>();
    for (HumanName n : names) {
      if (n.hasFamily() && !n.getFamily().isBlank()) {
        out.add(normal(n.getFamily()));
      }
    }
    return out;
  }

  /** An address as its lines, city, postal code and country, case and spacing ignored. */
  private static Set<String> addresses(List<Address> addresses) {
    Set<String> out = new HashSet<>();
    for (Address a : addresses) {
      StringBuilder key = new StringBuilder();
      for (StringType line : a.getLine()) {
        key.append(normal(line.getValueAsString())).append('|');
      }
      key.append(normal(a.getCity()))
          .append('|')
          .append(normal(a.getPostalCode()))
          .append('|')
          .append(normal(a.getCountry()));
      String k = key.toString();
      if (k.replace("|", "").isEmpty() && a.hasText()) {
        k = normal(a.getText());
      }
      if (!k.replace("|", "").isEmpty()) {
        out.add(k);
      }
    }
    return out;
  }

  private static String normal(@Nullable String s) {
    return s == null ? "" : s.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
  }

  private static boolean intersect(Set<String> a, Set<String> b) {
    return a.stream().anyMatch(b::contains);
  }
}
