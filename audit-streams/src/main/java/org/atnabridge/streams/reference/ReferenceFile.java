package org.atnabridge.streams.reference;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.schemas.Topic;
import org.atnabridge.schemas.Topics;
import org.atnabridge.schemas.vocab.CodeSystems;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.Device;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.Organization;
import org.hl7.fhir.r5.model.Patient;
import org.hl7.fhir.r5.model.Practitioner;
import org.hl7.fhir.r5.model.PractitionerRole;
import org.hl7.fhir.r5.model.Resource;
import org.jspecify.annotations.Nullable;

/**
 * Turns a reference data file into records of the reference topics. Two formats, told apart by the
 * first non-blank character (<code>&#123;</code> = JSON):
 *
 * <h2>FHIR R5 Bundle (JSON)</h2>
 *
 * Every entry's resource becomes one record per identifier (see {@link Topics} for the keys):
 * Practitioner, PractitionerRole and Organization → {@code reference.people} (key = identifier
 * value); Patient → {@code reference.patients} (key = {@code system|value}, or the value without a
 * system; labels from its {@code meta.security}); Device → {@code reference.nodes} (key =
 * identifier value: the AuditSourceID or a network address). An entry of another type, or without
 * identifiers or id, is reported as a problem with its entry number (from 1).
 *
 * <h2>CSV (RFC 4180, UTF-8, header line required)</h2>
 *
 * Columns, in any order: {@code kind,id,system,value,display,confidentiality,flags}
 *
 * <ul>
 *   <li>{@code kind} (required): {@code practitioner}, {@code organization}, {@code patient} or
 *       {@code device} ({@code person} = practitioner, {@code node} = device);
 *   <li>{@code id} (required): the FHIR resource id, making the reference {@code Type/id};
 *   <li>{@code system} (required for patients, optional otherwise): identifier system, e.g. {@code
 *       urn:oid:1.2.3}. A patient id is only unique within its assigning authority (HL7 v2 CX-4),
 *       so a patient row without one is refused: matching on the value alone would join two
 *       patients;
 *   <li>{@code value} (required): the identifier value: user id, patient id, AuditSourceID or
 *       network address;
 *   <li>{@code display} (optional): the name shown;
 *   <li>{@code confidentiality} (optional, patients): one v3-Confidentiality code U, L, M, N, R, V;
 *   <li>{@code flags} (optional, patients): {@code ;}-separated sensitivity flags: {@code VIP} (→
 *       v3-ActCode CEL), {@code EMPLOYEE} (→ EMP), {@code RESTRICTED} (→ confidentiality R), or any
 *       v3-ActCode code as is.
 * </ul>
 *
 * A malformed row is reported with its line number (from 1, the header is line 1) and skipped; the
 * other rows still load.
 */
public final class ReferenceFile {

  /**
   * @param records what to send, in file order
   * @param problems one line per skipped row or entry, e.g. {@code line 7: unknown kind "doctor"}
   */
  public record Parsed(List<ReferenceRecord> records, List<String> problems) {
    public Parsed {
      records = List.copyOf(records);
      problems = List.copyOf(problems);
    }
  }

  static final List<String> COLUMNS =
      List.of("kind", "id", "system", "value", "display", "confidentiality", "flags");

  /**
   * Why a patient identifier without a system is refused (the values of two authorities may be
   * equal).
   */
  static final String NO_SYSTEM =
      "has an identifier without a system: a patient is matched on system and value";

  private static final Map<String, String> FLAGS = Map.of("VIP", "CEL", "EMPLOYEE", "EMP");

  private ReferenceFile() {}

  public static Parsed read(Path file) throws IOException {
    return parse(Files.readString(file, StandardCharsets.UTF_8));
  }

  public static Parsed parse(String content) {
    String t = content.stripLeading();
    if (t.startsWith("\uFEFF")) {
      t = t.substring(1).stripLeading();
    }
    return t.startsWith("{")
        ? bundle(t)
        : csv(content.startsWith("\uFEFF") ? content.substring(1) : content);
  }

  static Parsed bundle(String json) {
    Bundle bundle;
    try {
      bundle = Fhir.jsonParser().parseResource(Bundle.class, json);
    } catch (RuntimeException e) {
      return new Parsed(List.of(), List.of("not a FHIR R5 Bundle: " + e.getMessage()));
    }
    List<ReferenceRecord> records = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    int n = 0;
    for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
      n++;
      Resource r = entry.getResource();
      String where = "entry " + n;
      if (r == null) {
        problems.add(where + ": no resource");
        continue;
      }
      Topic<String, Resource> topic = topicFor(r);
      if (topic == null) {
        problems.add(
            where
                + ": unsupported resource type "
                + r.fhirType()
                + " (Practitioner, PractitionerRole, Organization, Patient, Device)");
        continue;
      }
      if (!r.getIdElement().hasIdPart()) {
        problems.add(where + ": " + r.fhirType() + " without id");
        continue;
      }
      r.setId(r.getIdElement().getIdPart());
      List<Identifier> ids =
          ReferenceResources.identifiers(r).stream().filter(Identifier::hasValue).toList();
      if (ids.isEmpty()) {
        problems.add(
            where
                + ": "
                + r.fhirType()
                + "/"
                + r.getIdElement().getIdPart()
                + " has no identifier to key it by");
        continue;
      }
      if (topic == Topics.REFERENCE_PATIENTS && ids.stream().anyMatch(id -> !id.hasSystem())) {
        problems.add(where + ": Patient/" + r.getIdElement().getIdPart() + " " + NO_SYSTEM);
        continue;
      }
      for (Identifier id : ids) {
        String key =
            topic == Topics.REFERENCE_PATIENTS
                ? ReferenceResources.patientKey(id.getSystem(), id.getValue())
                : id.getValue();
        records.add(new ReferenceRecord(topic, key, r));
      }
    }
    return new Parsed(records, problems);
  }

  private static @Nullable Topic<String, Resource> topicFor(Resource r) {
    return switch (r) {
      case Practitioner p -> Topics.REFERENCE_PEOPLE;
      case PractitionerRole p -> Topics.REFERENCE_PEOPLE;
      case Organization o -> Topics.REFERENCE_PEOPLE;
      case Patient p -> Topics.REFERENCE_PATIENTS;
      case Device d -> Topics.REFERENCE_NODES;
      default -> null;
    };
  }

  static Parsed csv(String content) {
    List<ReferenceRecord> records = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    String[] lines = content.split("\r?\n", -1);
    if (lines.length == 0 || lines[0].isBlank()) {
      return new Parsed(List.of(), List.of("line 1: missing header " + String.join(",", COLUMNS)));
    }
    List<String> header;
    try {
      header = fields(lines[0]).stream().map(s -> s.trim().toLowerCase(Locale.ROOT)).toList();
    } catch (IllegalArgumentException e) {
      return new Parsed(List.of(), List.of("line 1: " + e.getMessage()));
    }
    for (String required : List.of("kind", "id", "value")) {
      if (!header.contains(required)) {
        return new Parsed(
            List.of(),
            List.of(
                "line 1: header lacks column \""
                    + required
                    + "\" (columns: "
                    + String.join(",", COLUMNS)
                    + ")"));
      }
    }
    for (int i = 1; i < lines.length; i++) {
      int lineNo = i + 1;
      if (lines[i].isBlank()) {
        continue;
      }
      try {
        List<String> f = fields(lines[i]);
        if (f.size() > header.size()) {
          throw new IllegalArgumentException(f.size() + " fields, header has " + header.size());
        }
        records.add(row(header, f));
      } catch (IllegalArgumentException e) {
        problems.add("line " + lineNo + ": " + e.getMessage());
      }
    }
    return new Parsed(records, problems);
  }

  private static ReferenceRecord row(List<String> header, List<String> f) {
    String kind = get(header, f, "kind").toLowerCase(Locale.ROOT);
    String id = get(header, f, "id");
    String system = get(header, f, "system");
    String value = get(header, f, "value");
    String display = get(header, f, "display");
    String confidentiality = get(header, f, "confidentiality").toUpperCase(Locale.ROOT);
    String flags = get(header, f, "flags");
    if (id.isEmpty() || !id.matches("[A-Za-z0-9\\-.]{1,64}")) {
      throw new IllegalArgumentException(
          "id \"" + id + "\" is not a FHIR id ([A-Za-z0-9-.]{1,64})");
    }
    if (value.isEmpty()) {
      throw new IllegalArgumentException("value (the identifier) is empty");
    }
    Identifier identifier = new Identifier().setValue(value);
    if (!system.isEmpty()) {
      identifier.setSystem(system);
    }
    Resource r;
    Topic<String, Resource> topic;
    switch (kind) {
      case "practitioner", "person" -> {
        Practitioner p = new Practitioner().addIdentifier(identifier);
        if (!display.isEmpty()) {
          p.addName().setText(display);
        }
        r = p;
        topic = Topics.REFERENCE_PEOPLE;
      }
      case "organization" -> {
        Organization o = new Organization().addIdentifier(identifier);
        if (!display.isEmpty()) {
          o.setName(display);
        }
        r = o;
        topic = Topics.REFERENCE_PEOPLE;
      }
      case "device", "node" -> {
        Device d = new Device().addIdentifier(identifier);
        if (!display.isEmpty()) {
          d.setDisplayName(display);
        }
        r = d;
        topic = Topics.REFERENCE_NODES;
      }
      case "patient" -> {
        if (system.isEmpty()) {
          throw new IllegalArgumentException("patient " + id + " " + NO_SYSTEM);
        }
        Patient p = new Patient().addIdentifier(identifier);
        if (!display.isEmpty()) {
          p.addName().setText(display);
        }
        if (!confidentiality.isEmpty()) {
          if (!ReferenceResources.CONFIDENTIALITY_CODES.contains(confidentiality)) {
            throw new IllegalArgumentException(
                "confidentiality \""
                    + confidentiality
                    + "\" is not one of "
                    + ReferenceResources.CONFIDENTIALITY_CODES);
          }
          p.getMeta()
              .addSecurity(new Coding(CodeSystems.V3_CONFIDENTIALITY, confidentiality, null));
        }
        for (String flag : flags.split(";")) {
          String fl = flag.trim().toUpperCase(Locale.ROOT);
          if (fl.isEmpty()) {
            continue;
          }
          if (fl.equals("RESTRICTED")) {
            if (p.getMeta().getSecurity().stream().noneMatch(c -> "R".equals(c.getCode()))) {
              p.getMeta().addSecurity(new Coding(CodeSystems.V3_CONFIDENTIALITY, "R", null));
            }
          } else if (fl.matches("[A-Z][A-Z0-9_]*")) {
            p.getMeta()
                .addSecurity(new Coding(CodeSystems.V3_ACT_CODE, FLAGS.getOrDefault(fl, fl), null));
          } else {
            throw new IllegalArgumentException("flag \"" + flag.trim() + "\" is not a code");
          }
        }
        r = p;
        topic = Topics.REFERENCE_PATIENTS;
      }
      default ->
          throw new IllegalArgumentException(
              "unknown kind \"" + kind + "\" (practitioner, organization, patient, device)");
    }
    r.setId(id);
    String key =
        topic == Topics.REFERENCE_PATIENTS
            ? ReferenceResources.patientKey(identifier.getSystem(), value)
            : value;
    return new ReferenceRecord(topic, key, r);
  }

  private static String get(List<String> header, List<String> fields, String column) {
    int i = header.indexOf(column);
    return i < 0 || i >= fields.size() ? "" : fields.get(i).trim();
  }

  /**
   * One RFC 4180 record on one line: comma separated, double-quoted fields with {@code ""} escapes.
   */
  static List<String> fields(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    boolean wasQuoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"') {
          if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
            cur.append('"');
            i++;
          } else {
            quoted = false;
          }
        } else {
          cur.append(c);
        }
      } else if (c == '"') {
        if (cur.length() > 0 || wasQuoted) {
          throw new IllegalArgumentException("quote inside an unquoted field at column " + (i + 1));
        }
        quoted = true;
        wasQuoted = true;
      } else if (c == ',') {
        out.add(cur.toString());
        cur.setLength(0);
        wasQuoted = false;
      } else {
        cur.append(c);
      }
    }
    if (quoted) {
      throw new IllegalArgumentException("unterminated quoted field");
    }
    out.add(cur.toString());
    return out;
  }
}
