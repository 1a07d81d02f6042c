package org.atnabridge.store.internal;

import static org.atnabridge.schemas.vocab.CodeSystems.AUDIT_EVENT_OUTCOME;
import static org.atnabridge.schemas.vocab.CodeSystems.ISSUE_SEVERITY;
import static org.atnabridge.schemas.vocab.Extensions.RAW_RECEIPT;
import static org.atnabridge.schemas.vocab.Extensions.SYSLOG_HEADER;
import static org.atnabridge.store.internal.AuditEventDocument.normalize;
import static org.atnabridge.store.internal.IndexFields.*;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.atnabridge.schemas.vocab.Extensions;
import org.atnabridge.store.SearchField;
import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.IdType;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.Reference;
import org.jspecify.annotations.Nullable;

/**
 * Collects the index values of one event, field by {@link SearchField}: shared by the HAPI-model
 * extraction ({@link AuditEventDocument#from}) and the JSON one ({@link AuditEventJson}) so both
 * index alike, with the mappings both need (outcome codes, the parts of the platform's extensions).
 */
final class FieldExtractor {

  private static final Map<String, String> DICOM_TO_SEVERITY =
      Map.of("0", "success", "4", "warning", "8", "error", "12", "fatal");
  private static final Map<String, String> SEVERITY_TO_DICOM =
      Map.of("success", "0", "warning", "4", "error", "8", "fatal", "12");

  /**
   * The references whose identifiers are free text too: who took part (agent), who it was about
   * (patient, entity) and who reported it (source), the names an officer types first. Their
   * displays are free text like every display.
   */
  private static final Set<SearchField> NAMED_IN_TEXT =
      EnumSet.of(SearchField.AGENT, SearchField.PATIENT, SearchField.ENTITY, SearchField.SOURCE);

  private final LinkedHashMap<String, Set<String>> keywords = new LinkedHashMap<>(64);
  // a set of enums while extracting (every value marks its field), their codes once at the end
  private final EnumSet<SearchField> present = EnumSet.noneOf(SearchField.class);
  final StringBuilder text = new StringBuilder();
  private final ProjectedFields scope;

  FieldExtractor() {
    this(ProjectedFields.ALL);
  }

  /** Collects only what {@code scope} holds: values of other fields are dropped as they come. */
  FieldExtractor(ProjectedFields scope) {
    this.scope = scope;
  }

  ProjectedFields scope() {
    return scope;
  }

  void present(SearchField f) {
    present.add(f);
  }

  /** The keywords collected, {@link IndexFields#PRESENT} included; call once, at the end. */
  Map<String, Set<String>> keywords() {
    if (!scope.collectsPresence()) {
      return new FrozenKeywords(keywords);
    }
    Set<String> codes = new LinkedHashSet<>(present.size() * 2);
    for (SearchField f : present) {
      codes.add(f.code());
    }
    keywords.put(PRESENT, codes);
    return new FrozenKeywords(keywords);
  }

  void token(SearchField f, @Nullable String system, @Nullable String code) {
    if (code == null || code.isEmpty() || !scope.visits(f)) {
      return;
    }
    add(tokenField(f), IndexFields.token(system == null || system.isEmpty() ? null : system, code));
    add(valueField(f), code);
    present(f);
  }

  void coding(@Nullable SearchField f, Coding c) {
    coding(
        f, c.hasSystem() ? c.getSystem() : null, c.hasCode() ? c.getCode() : null, c.getDisplay());
  }

  /** {@code system} and {@code code} null when absent or blank (HAPI's {@code has...}). */
  void coding(
      @Nullable SearchField f,
      @Nullable String system,
      @Nullable String code,
      @Nullable String display) {
    if (f != null && code != null) {
      token(f, system, code);
    }
    text(display);
  }

  void concept(@Nullable SearchField f, CodeableConcept concept) {
    concept.getCoding().forEach(c -> coding(f, c));
    text(concept.getText());
  }

  void identifierToken(SearchField f, Identifier id) {
    if (id.hasValue()) {
      token(f, id.hasSystem() ? id.getSystem() : null, id.getValue());
    }
  }

  /**
   * A token that names a person or a place ({@code altid}, {@code site}): searchable as the token
   * and, its code, as free text.
   */
  void namingToken(SearchField f, @Nullable String system, @Nullable String code) {
    token(f, system, code);
    text(code);
  }

  void reference(SearchField f, Reference r) {
    Identifier id = r.hasIdentifier() ? r.getIdentifier() : null;
    reference(
        f,
        r.hasReference() ? r.getReference() : null,
        id != null && id.hasSystem() ? id.getSystem() : null,
        id != null && id.hasValue() ? id.getValue() : null,
        r.getDisplay());
  }

  /** Arguments null when absent or blank. */
  void reference(
      SearchField f,
      @Nullable String ref,
      @Nullable String identifierSystem,
      @Nullable String identifierValue,
      @Nullable String display) {
    if (!scope.visits(f) && !scope.text()) {
      return;
    }
    boolean any = false;
    if (ref != null) {
      IdType id = new IdType(ref);
      String normalized =
          id.hasResourceType() && id.hasIdPart()
              ? id.getResourceType() + "/" + id.getIdPart()
              : ref;
      add(refField(f), ref);
      add(refField(f), normalized);
      if (id.hasIdPart()) {
        add(refIdField(f), id.getIdPart());
      }
      add(keyField(f), normalized);
      any = true;
    }
    if (identifierValue != null) {
      String tok = IndexFields.token(identifierSystem, identifierValue);
      add(identifierField(f), tok);
      add(identifierValueField(f), identifierValue);
      if (ref == null) {
        add(keyField(f), tok);
      }
      any = true;
    }
    if (any) {
      present(f);
    }
    if (NAMED_IN_TEXT.contains(f)) {
      // the id and the identifier value, never the type or base URL: "Practitioner" or "http"
      // would make every event a hit
      if (ref != null) {
        IdType id = new IdType(ref);
        text(id.hasIdPart() ? id.getIdPart() : null);
      }
      text(identifierValue);
    }
    text(display);
  }

  void uri(SearchField f, @Nullable String uri) {
    if (uri != null && !uri.isEmpty() && scope.visits(f)) {
      add(f.indexName(), uri);
      present(f);
    }
  }

  void string(SearchField f, @Nullable String s) {
    if (!scope.visits(f)) {
      text(s);
      return;
    }
    if (s != null && !s.isBlank()) {
      add(exactField(f), s);
      add(normField(f), normalize(s));
      present(f);
      text(s);
    }
  }

  void text(@Nullable String s) {
    if (s != null && scope.text() && !s.isBlank()) {
      text.append(s).append('\n');
    }
  }

  private void add(String field, String value) {
    if (!scope.holds(field)) {
      return;
    }
    String v = value.length() > MAX_KEYWORD_CHARS ? value.substring(0, MAX_KEYWORD_CHARS) : value;
    keywords.computeIfAbsent(field, k -> new LinkedHashSet<>()).add(v);
  }

  /** Indexes an outcome coding under both the DICOM and the R5 issue-severity code systems. */
  void outcome(@Nullable String system, @Nullable String code, @Nullable String display) {
    coding(SearchField.OUTCOME, system, code, display);
    if (code == null) {
      return;
    }
    boolean dicom = system == null || AUDIT_EVENT_OUTCOME.equals(system);
    boolean severity = system == null || ISSUE_SEVERITY.equals(system);
    if (dicom && DICOM_TO_SEVERITY.containsKey(code)) {
      token(SearchField.OUTCOME, ISSUE_SEVERITY, DICOM_TO_SEVERITY.get(code));
      token(SearchField.OUTCOME, AUDIT_EVENT_OUTCOME, code);
    }
    if (severity && SEVERITY_TO_DICOM.containsKey(code)) {
      token(SearchField.OUTCOME, AUDIT_EVENT_OUTCOME, SEVERITY_TO_DICOM.get(code));
      token(SearchField.OUTCOME, ISSUE_SEVERITY, code);
    }
  }

  /**
   * The dedicated field of a part of the syslog-header or raw-receipt extension, or null: the one
   * mapping both extractions (HAPI model and JSON) use.
   */
  static @Nullable SearchField subExtensionField(String url, String subUrl) {
    if (SYSLOG_HEADER.equals(url)) {
      return switch (subUrl) {
        case Extensions.SYSLOG_FORMAT -> SearchField.SYSLOG_FORMAT;
        case Extensions.SYSLOG_FACILITY -> SearchField.SYSLOG_FACILITY;
        case Extensions.SYSLOG_SEVERITY -> SearchField.SYSLOG_SEVERITY;
        case Extensions.SYSLOG_HOSTNAME -> SearchField.SYSLOG_HOSTNAME;
        case Extensions.SYSLOG_APP_NAME -> SearchField.SYSLOG_APP_NAME;
        case Extensions.SYSLOG_PROCID -> SearchField.SYSLOG_PROCID;
        case Extensions.SYSLOG_MSGID -> SearchField.SYSLOG_MSGID;
        default -> null;
      };
    }
    if (RAW_RECEIPT.equals(url)) {
      return switch (subUrl) {
        case Extensions.RECEIPT_TRANSPORT -> SearchField.RECEIPT_TRANSPORT;
        case Extensions.RECEIPT_PEER -> SearchField.RECEIPT_PEER;
        case Extensions.RECEIPT_LISTENER -> SearchField.RECEIPT_LISTENER;
        default -> null;
      };
    }
    return null;
  }
}
