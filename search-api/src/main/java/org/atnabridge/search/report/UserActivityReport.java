package org.atnabridge.search.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.atnabridge.store.AuditEventSearch;
import org.atnabridge.store.AuditQuery;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.Reference;

/**
 * What one user did: the events in which the user is an agent, walked page by page ({@link
 * EventWalk}, newest first) and folded into counts by action, by category (the DICOM EventID) and
 * by code (the event type: DICOM EventTypeCode), the distinct patients the events name ({@code
 * AuditEvent.patient} and entities that are patients), and one line per event.
 *
 * @param actions count per action code (C R U D E), by code
 * @param categories count per {@code AuditEvent.category} coding ({@code system|code})
 * @param codes count per {@code AuditEvent.code} coding ({@code system|code})
 * @param patients events per patient, most events first
 * @param events one line per event folded, newest first
 */
record UserActivityReport(
    Map<String, Long> actions,
    List<Count> categories,
    List<Count> codes,
    List<PatientCount> patients,
    List<EventLine> events,
    EventWalk walk) {

  /** A coding and how many events carry it. */
  record Count(Coding coding, long count) {}

  /** A patient and how many of the events name it. */
  record PatientCount(Reference patient, long count) {}

  /** One event as a report line. */
  record EventLine(AuditEvent event, List<Reference> patients) {}

  static UserActivityReport run(AuditEventSearch search, AuditQuery.Builder query, int maxEvents) {
    Map<String, Long> actions = new TreeMap<>();
    Map<String, Count> categories = new TreeMap<>();
    Map<String, Count> codes = new TreeMap<>();
    Map<String, PatientCount> patients = new LinkedHashMap<>();
    List<EventLine> events = new ArrayList<>();
    EventWalk walk =
        EventWalk.run(
            search,
            query,
            maxEvents,
            event -> {
              if (event.hasAction()) {
                actions.merge(event.getAction().toCode(), 1L, Long::sum);
              }
              event.getCategory().forEach(c -> count(categories, c));
              if (event.hasCode()) {
                count(codes, event.getCode());
              }
              List<Reference> named = patients(event);
              for (Reference p : named) {
                patients.merge(
                    AccessReport.key(p),
                    new PatientCount(p, 1),
                    (a, b) -> new PatientCount(a.patient(), a.count() + 1));
              }
              events.add(new EventLine(event, named));
            });
    List<PatientCount> byCount = new ArrayList<>(patients.values());
    byCount.sort(
        Comparator.comparingLong(PatientCount::count)
            .reversed()
            .thenComparing(p -> AccessReport.label(p.patient())));
    return new UserActivityReport(
        actions,
        sorted(categories),
        sorted(codes),
        List.copyOf(byCount),
        List.copyOf(events),
        walk);
  }

  /**
   * Every matching event as a line, handed to {@code sink} as it is read (newest first), however
   * many: nothing is held per event.
   */
  static EventWalk lines(
      AuditEventSearch search, AuditQuery.Builder query, Consumer<EventLine> sink) {
    return EventWalk.all(
        search, query, event -> sink.accept(new EventLine(event, patients(event))));
  }

  /** Each coding once per event, most frequent first, then by {@code system|code}. */
  private static void count(Map<String, Count> counts, CodeableConcept concept) {
    concept.getCoding().stream()
        .filter(Coding::hasCode)
        .map(c -> c.getSystem() + "|" + c.getCode())
        .distinct()
        .forEach(
            key ->
                counts.merge(
                    key,
                    new Count(coding(concept, key), 1),
                    (a, b) -> new Count(a.coding(), a.count() + 1)));
  }

  private static Coding coding(CodeableConcept concept, String key) {
    return concept.getCoding().stream()
        .filter(c -> key.equals(c.getSystem() + "|" + c.getCode()))
        .findFirst()
        .orElseThrow()
        .copy();
  }

  private static List<Count> sorted(Map<String, Count> counts) {
    List<Count> out = new ArrayList<>(counts.values());
    out.sort(Comparator.comparingLong(Count::count).reversed());
    return List.copyOf(out);
  }

  /**
   * The patients an event names, each once: {@code AuditEvent.patient} and every {@code
   * entity.what} that is a Patient (by type or by a {@code Patient/} reference).
   */
  static List<Reference> patients(AuditEvent event) {
    Map<String, Reference> out = new LinkedHashMap<>();
    if (event.hasPatient()) {
      out.putIfAbsent(AccessReport.key(event.getPatient()), event.getPatient());
    }
    for (AuditEvent.AuditEventEntityComponent entity : event.getEntity()) {
      Reference what = entity.getWhat();
      boolean patient =
          "Patient".equals(what.getType())
              || what.hasReference() && what.getReference().startsWith("Patient/");
      if (patient && (what.hasReference() || what.hasIdentifier())) {
        out.putIfAbsent(AccessReport.key(what), what);
      }
    }
    return out.values().stream().map(UserActivityReport::bare).toList();
  }

  /** Reference, identifier and display only: no type, extensions or element ids of the event. */
  private static Reference bare(Reference r) {
    Reference b = new Reference();
    if (r.hasReference()) {
      b.setReference(r.getReference());
    }
    if (r.hasIdentifier()) {
      b.setIdentifier(r.getIdentifier().copy());
    }
    if (r.hasDisplay()) {
      b.setDisplay(r.getDisplay());
    }
    return b;
  }
}
