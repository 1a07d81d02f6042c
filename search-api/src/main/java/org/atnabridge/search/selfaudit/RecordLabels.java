package org.atnabridge.search.selfaudit;

import static org.atnabridge.schemas.vocab.CodeSystems.OBJECT_ROLE;
import static org.atnabridge.schemas.vocab.CodeSystems.V3_ACT_CODE;
import static org.atnabridge.schemas.vocab.CodeSystems.V3_CONFIDENTIALITY;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.Reference;
import org.jspecify.annotations.Nullable;

/**
 * What one request touched that its self-audit or Security Alert record must inherit, so that the
 * record is no more visible than what it names (labels follow the patient):
 *
 * <ul>
 *   <li>the patients the request names (its patient criteria) or whose events it returned, added to
 *       the record as patient entities (BALP: {@code entity.what} with role 1 "Patient"); the
 *       enrichment labels the record from the reference data of these patients, and the relabel job
 *       relabels it when a patient's labels are raised later. By identifier {@code system|value} or
 *       {@code Patient/id}; never by a value alone.
 *   <li>the v3-Confidentiality and v3-ActCode labels of the events the request returned (or was
 *       refused), copied to the record's {@code meta.security}.
 * </ul>
 *
 * One per request, filled by the secured search (possibly on HAPI's threads), applied once when the
 * record is built; thread-safe.
 */
public final class RecordLabels {

  /**
   * The servlet request attribute under which the authentication layer leaves this request's
   * instance.
   */
  public static final String ATTRIBUTE = "atna.record-labels";

  /** Patients named in one record at most; the labels of returned events are copied regardless. */
  static final int MAX_PATIENTS = 100;

  private final Map<String, Reference> patients = new LinkedHashMap<>();
  private final Set<String> labels = new LinkedHashSet<>();

  /**
   * A patient named by identifier; ignored without a system (a value alone names no one for sure).
   */
  public synchronized void patientIdentifier(@Nullable String system, @Nullable String value) {
    if (system != null
        && !system.isBlank()
        && value != null
        && !value.isBlank()
        && patients.size() < MAX_PATIENTS) {
      patients.putIfAbsent(
          system + "|" + value,
          new Reference().setIdentifier(new Identifier().setSystem(system).setValue(value)));
    }
  }

  /** A patient named by literal reference: {@code Patient/id}, or a bare id meaning that. */
  public synchronized void patientReference(@Nullable String reference) {
    if (reference == null || reference.isBlank() || patients.size() >= MAX_PATIENTS) {
      return;
    }
    String id =
        reference.startsWith("Patient/") ? reference.substring("Patient/".length()) : reference;
    if (!id.isEmpty() && !id.contains("/")) {
      patients.putIfAbsent("Patient/" + id, new Reference("Patient/" + id));
    }
  }

  /** What another request touched (one that did this request's work for it). */
  public void addAll(RecordLabels other) {
    Map<String, Reference> theirPatients;
    Set<String> theirLabels;
    synchronized (other) {
      theirPatients = new LinkedHashMap<>(other.patients);
      theirLabels = new LinkedHashSet<>(other.labels);
    }
    synchronized (this) {
      theirPatients.forEach(
          (k, v) -> {
            if (patients.size() < MAX_PATIENTS) {
              patients.putIfAbsent(k, v);
            }
          });
      labels.addAll(theirLabels);
    }
  }

  /** An event the request returned or was refused: its patient and its labels. */
  public synchronized void touched(AuditEvent event) {
    for (Coding c : event.getMeta().getSecurity()) {
      if ((V3_CONFIDENTIALITY.equals(c.getSystem()) || V3_ACT_CODE.equals(c.getSystem()))
          && c.hasCode()) {
        labels.add(c.getSystem() + "|" + c.getCode());
      }
    }
    if (event.hasPatient()) {
      Reference p = event.getPatient();
      if (p.hasReference() && p.getReference().startsWith("Patient/")) {
        patientReference(p.getReference());
      }
      if (p.hasIdentifier()) {
        patientIdentifier(p.getIdentifier().getSystem(), p.getIdentifier().getValue());
      }
    }
  }

  /**
   * The patients a raw query string names with {@code patient}, {@code patient:identifier} or
   * {@code patient.identifier} (comma values each): for requests refused before any search.
   */
  public void patientParameters(@Nullable String queryString) {
    if (queryString == null) {
      return;
    }
    for (String pair : queryString.split("&")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      String name;
      String value;
      try {
        name = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
        value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException malformed) {
        continue;
      }
      boolean byIdentifier = name.equals("patient:identifier") || name.equals("patient.identifier");
      if (!byIdentifier && !name.equals("patient")) {
        continue;
      }
      for (String v : value.split(",")) {
        int bar = v.indexOf('|');
        if (byIdentifier) {
          if (bar > 0) {
            patientIdentifier(v.substring(0, bar), v.substring(bar + 1));
          }
        } else {
          patientReference(v);
        }
      }
    }
  }

  /** Adds the patients as entities and the labels as {@code meta.security} to the record. */
  public synchronized void applyTo(AuditEvent record) {
    for (Reference p : patients.values()) {
      record
          .addEntity()
          .setWhat(p.copy())
          .setRole(new CodeableConcept(new Coding(OBJECT_ROLE, "1", "Patient")));
    }
    for (String label : labels) {
      int bar = label.indexOf('|');
      String system = label.substring(0, bar);
      String code = label.substring(bar + 1);
      boolean present =
          record.getMeta().getSecurity().stream()
              .anyMatch(c -> system.equals(c.getSystem()) && code.equals(c.getCode()));
      if (!present) {
        record.getMeta().addSecurity(new Coding(system, code, null));
      }
    }
  }

  /** This request's instance, left by the authentication layer, else a fresh one. */
  public static RecordLabels of(java.util.function.Function<String, @Nullable Object> attributes) {
    return attributes.apply(ATTRIBUTE) instanceof RecordLabels l ? l : new RecordLabels();
  }
}
