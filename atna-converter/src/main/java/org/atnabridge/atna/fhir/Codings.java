package org.atnabridge.atna.fhir;

import static org.atnabridge.schemas.vocab.CodeSystems.AUDIT_ENTITY_TYPE;
import static org.atnabridge.schemas.vocab.CodeSystems.AUDIT_EVENT_OUTCOME;
import static org.atnabridge.schemas.vocab.CodeSystems.DCM;
import static org.atnabridge.schemas.vocab.CodeSystems.DICOM_AUDIT_LIFECYCLE;
import static org.atnabridge.schemas.vocab.CodeSystems.IHE_TRANSACTIONS;
import static org.atnabridge.schemas.vocab.CodeSystems.NAME_PREFIX;
import static org.atnabridge.schemas.vocab.CodeSystems.OBJECT_ROLE;
import static org.atnabridge.schemas.vocab.CodeSystems.RFC3881;
import static org.atnabridge.schemas.vocab.CodeSystems.SECURITY_SOURCE_TYPE;
import static org.atnabridge.schemas.vocab.CodeSystems.SNOMED;
import static org.atnabridge.schemas.vocab.CodeSystems.V3_ACT_REASON;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.atnabridge.atna.dicom.CodedValue;
import org.atnabridge.schemas.vocab.CodeSystems;
import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.Coding;
import org.jspecify.annotations.Nullable;

/**
 * DICOM coded values as FHIR Codings: the {@code codeSystemName} → FHIR {@code system} table and
 * the displays of the enumerated DICOM values (PS3.15 A.5.1). Unknown names become {@link
 * CodeSystems#NAME_PREFIX}{@code <name>} so the name survives in a valid URI.
 */
public final class Codings {

  private Codings() {}

  private static final String DCM_OID = "1.2.840.10008.2.16.4";
  private static final String SNOMED_OID = "2.16.840.1.113883.6.96";
  private static final String ACT_REASON_OID = "2.16.840.1.113883.5.8";
  private static final String PURPOSE_OF_USE_VS_OID = "2.16.840.1.113883.1.11.20448";
  private static final Pattern OID = Pattern.compile("[0-2](\\.(0|[1-9]\\d*))+");
  private static final Pattern URI = Pattern.compile("(?i)(urn:|https?://).+");
  private static final Pattern DCM_CODE = Pattern.compile("1\\d{5}");
  private static final Pattern IHE_TRANSACTION = Pattern.compile("[A-Z]{2,5}-[A-Z]?\\d+[a-z]?");

  /** EventOutcomeIndicator displays (DICOM PS3.15 A.5.1). */
  static final List<String> OUTCOMES = List.of("0", "4", "8", "12");

  private static final List<String> OUTCOME_DISPLAY =
      List.of("Success", "Minor failure", "Serious failure", "Major failure");
  private static final List<String> SOURCE_TYPE_DISPLAY =
      List.of(
          "User Device",
          "Data Interface",
          "Web Server",
          "Application Server",
          "Database Server",
          "Security Server",
          "Network Device",
          "Network Router",
          "Other");
  private static final List<String> ENTITY_TYPE_DISPLAY =
      List.of("Person", "System Object", "Organization", "Other");
  private static final List<String> OBJECT_ROLE_DISPLAY =
      List.of(
          "Patient",
          "Location",
          "Report",
          "Resource",
          "Master file",
          "User",
          "List",
          "Doctor",
          "Subscriber",
          "Guarantor",
          "Security User Entity",
          "Security User Group",
          "Security Resource",
          "Security Granularity Definition",
          "Provider",
          "Report Destination",
          "Report Library",
          "Schedule",
          "Customer",
          "Job",
          "Job Stream",
          "Table",
          "Routing Criteria",
          "Query");

  private static final List<String> LIFECYCLE_DISPLAY =
      List.of(
          "Origination / Creation",
          "Import / Copy from original",
          "Amendment",
          "Verification",
          "Translation",
          "Access / Use",
          "De-identification",
          "Aggregation, summarization, derivation",
          "Report",
          "Export / Copy to target",
          "Disclosure",
          "Receipt of disclosure",
          "Archiving",
          "Logical deletion",
          "Permanent erasure / Physical destruction");

  /**
   * What kind of element a coded value came from: decides the system when the sender named none.
   */
  public enum Context {
    EVENT_ID,
    EVENT_TYPE,
    ROLE_ID,
    MEDIA_TYPE,
    SOURCE_TYPE,
    OBJECT_ID_TYPE,
    OTHER
  }

  /** FHIR system for a codeSystemName / codeSystem pair, or null when neither is usable. */
  public static @Nullable String system(
      @Nullable String codeSystemName, @Nullable String codeSystem) {
    String byName = codeSystemName == null ? null : byName(codeSystemName.strip());
    if (byName != null) {
      return byName;
    }
    return codeSystem == null || codeSystem.isBlank() ? null : byName(codeSystem.strip());
  }

  private static @Nullable String byName(String name) {
    if (name.isEmpty()) {
      return null;
    }
    switch (name.toLowerCase(Locale.ROOT)) {
      case "dcm", "dicom" -> {
        return DCM;
      }
      case "ihe transactions", "ihe transaction", "ihe" -> {
        // "IHE" names the IHE event type codes (IHE0001..IHE0006, e.g. EV(IHE0006, IHE,
        // "Disclosure"),
        // ITI TF-2 §3.20.8): the same IHE event-type code system as the transaction codes
        return IHE_TRANSACTIONS;
      }
      case "v3-actreason",
          "actreason",
          "hl7 actreason",
          "v3 actreason",
          "v3-purposeofuse",
          "purposeofuse" -> {
        return V3_ACT_REASON;
      }
      case "snomed-ct", "snomed ct", "snomed", "sct" -> {
        return SNOMED;
      }
      case "rfc-3881", "rfc3881" -> {
        return RFC3881;
      }
      default -> {
        /* below */
      }
    }
    if (OID.matcher(name).matches()) {
      return switch (name) {
        case DCM_OID -> DCM;
        case SNOMED_OID -> SNOMED;
        case ACT_REASON_OID, PURPOSE_OF_USE_VS_OID -> V3_ACT_REASON;
        default -> "urn:oid:" + name;
      };
    }
    if (URI.matcher(name).matches()) {
      return name;
    }
    return NAME_PREFIX + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
  }

  public static Coding coding(CodedValue v, Context context) {
    String code = v.code();
    if (context == Context.SOURCE_TYPE
        && code.length() == 1
        && code.charAt(0) >= '1'
        && code.charAt(0) <= '9') {
      // AuditSourceTypeCode digits are SRC codes whatever the sender named the system (IPF writes
      // "DCM")
      return sourceType(code);
    }
    String system = system(v.codeSystemName(), v.codeSystem());
    if (system == null) {
      system = defaultSystem(code, context);
    }
    Coding c = new Coding().setCode(code).setDisplay(v.meaning());
    if (system != null) {
      c.setSystem(system);
    }
    return c;
  }

  public static CodeableConcept concept(CodedValue v, Context context) {
    return new CodeableConcept().addCoding(coding(v, context));
  }

  private static @Nullable String defaultSystem(String code, Context context) {
    if (DCM_CODE.matcher(code).matches()
        && context != Context.OBJECT_ID_TYPE
        && context != Context.OTHER) {
      return DCM;
    }
    if (IHE_TRANSACTION.matcher(code).matches()
        && (context == Context.EVENT_TYPE || context == Context.OBJECT_ID_TYPE)) {
      return IHE_TRANSACTIONS;
    }
    if (context == Context.OBJECT_ID_TYPE && code.matches("[1-9]|1[0-2]")) {
      return RFC3881;
    }
    if (context == Context.OBJECT_ID_TYPE && DCM_CODE.matcher(code).matches()) {
      return DCM;
    }
    return null;
  }

  /** AuditSourceTypeCode digit 1..9 → SRC (caller guarantees the range). */
  public static Coding sourceType(String digit) {
    return java.util.Objects.requireNonNull(
        fromTable(SECURITY_SOURCE_TYPE, digit, SOURCE_TYPE_DISPLAY));
  }

  /** ParticipantObjectTypeCode 1..4 → ENT; null when out of range (the caller keeps it as text). */
  public static @Nullable Coding entityType(String code) {
    return fromTable(AUDIT_ENTITY_TYPE, code, ENTITY_TYPE_DISPLAY);
  }

  /**
   * ParticipantObjectTypeCodeRole 1..24 → ROLE; null when out of range (the caller keeps it as
   * text).
   */
  public static @Nullable Coding objectRole(String code) {
    return fromTable(OBJECT_ROLE, code, OBJECT_ROLE_DISPLAY);
  }

  /**
   * ParticipantObjectDataLifeCycle 1..15 as the CodeableConcept the auditevent-Lifecycle extension
   * wants; text otherwise.
   */
  public static CodeableConcept lifecycle(String code) {
    Coding c = fromTable(DICOM_AUDIT_LIFECYCLE, code, LIFECYCLE_DISPLAY);
    return c == null ? new CodeableConcept().setText(code) : new CodeableConcept().addCoding(c);
  }

  /** THO audit-event-outcome; null when the indicator is not 0/4/8/12. */
  public static @Nullable Coding outcome(String indicator) {
    int i = OUTCOMES.indexOf(indicator);
    return i < 0 ? null : new Coding(AUDIT_EVENT_OUTCOME, indicator, OUTCOME_DISPLAY.get(i));
  }

  /**
   * The coding of a 1-based enumerated DICOM value, null when {@code code} is not one of them
   * (never invented).
   */
  private static @Nullable Coding fromTable(String system, String code, List<String> displays) {
    int n;
    try {
      n = Integer.parseInt(code);
    } catch (NumberFormatException e) {
      return null;
    }
    if (n < 1 || n > displays.size() || !code.equals(String.valueOf(n))) {
      return null;
    }
    return new Coding(system, code, displays.get(n - 1));
  }
}
