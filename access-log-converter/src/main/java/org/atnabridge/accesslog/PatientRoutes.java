package org.atnabridge.accesslog;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The patients a request names (IHE BALP Patient* patterns: one AuditEvent per patient): a {@code
 * Patient/{id}} path (read, update, history, instance operations, compartment searches {@code
 * Patient/{id}/Observation}); the search parameters {@code patient=}, {@code patient:Patient=},
 * {@code subject=Patient/…}, {@code subject:Patient=} and chained {@code
 * patient.identifier=system|value}; in a search of Patient itself, {@code _id=} and {@code
 * identifier=}. Comma-separated values (FHIR search OR) name several.
 */
final class PatientRoutes {

  private static final String PATIENT = "Patient";

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

  /** An absolute URI (RFC 3986 §3: scheme ":" ...), what Identifier.system must be. */
  private static final Pattern URI = Pattern.compile("[A-Za-z][A-Za-z0-9+.\\-]*:[^\\s|]+");

  private PatientRoutes() {}

  static List<PatientRef> of(RestRequest r) {
    Set<PatientRef> out = new LinkedHashSet<>();
    if (PATIENT.equals(r.resourceType()) && r.id() != null) {
      out.add(PatientRef.byId(r.id()));
    }
    for (Map.Entry<String, String> p : r.parameters()) {
      String name = p.getKey();
      String value = p.getValue();
      switch (name) {
        case "patient", "patient:Patient", "subject:Patient" -> {
          for (String v : value.split(",")) {
            addId(out, v, true);
          }
        }
        case "subject" -> {
          for (String v : value.split(",")) {
            addId(out, v, false);
          }
        }
        case "_id" -> {
          if (patientSearch(r)) {
            for (String v : value.split(",")) {
              addId(out, v, true);
            }
          }
        }
        case "identifier" -> {
          if (patientSearch(r)) {
            for (String v : value.split(",")) {
              addIdentifier(out, v);
            }
          }
        }
        case "patient.identifier", "subject:Patient.identifier" -> {
          for (String v : value.split(",")) {
            addIdentifier(out, v);
          }
        }
        default -> {
          /* not a patient route */
        }
      }
    }
    return List.copyOf(out);
  }

  /** A search of Patient resources: there {@code _id} and {@code identifier} name patients. */
  private static boolean patientSearch(RestRequest r) {
    return PATIENT.equals(r.resourceType()) && r.id() == null && r.interaction().search();
  }

  /**
   * A reference value: {@code 123} (only where the parameter targets Patient), {@code Patient/123},
   * or an absolute URL ending in it.
   */
  private static void addId(Set<PatientRef> out, String value, boolean bareIdIsPatient) {
    String v = value.strip();
    String id = null;
    int at = v.lastIndexOf(PATIENT + "/");
    if (at >= 0 && (at == 0 || v.charAt(at - 1) == '/')) {
      id = v.substring(at + PATIENT.length() + 1);
      int slash = id.indexOf('/');
      if (slash >= 0) {
        id = id.substring(0, slash); // Patient/1/_history/2
      }
    } else if (bareIdIsPatient && v.indexOf('/') < 0) {
      id = v;
    }
    if (id != null && ID.matcher(id).matches()) {
      out.add(PatientRef.byId(id));
    }
  }

  /** FHIR token search: {@code system|value}, {@code |value} (no system) or {@code value}. */
  private static void addIdentifier(Set<PatientRef> out, String token) {
    String t = token.strip();
    int bar = t.indexOf('|');
    @Nullable String system = bar < 0 ? null : t.substring(0, bar);
    String value = bar < 0 ? t : t.substring(bar + 1);
    if (value.isEmpty()) {
      return;
    }
    if (system == null || system.isEmpty()) {
      out.add(PatientRef.byIdentifier(null, value));
    } else if (URI.matcher(system).matches()) {
      out.add(PatientRef.byIdentifier(system, value));
    } else {
      out.add(PatientRef.byIdentifier(null, t)); // not a URI: kept whole, as the value
    }
  }
}
