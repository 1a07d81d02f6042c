package org.atnabridge.store.internal;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Names of the indexed fields, shared by the Lucene documents and the Elasticsearch mapping.
 * Underscores, not dots: in Elasticsearch a dotted name is an object path, and {@code
 * patient.identifier} could not be a keyword and the parent of {@code .value} at once.
 *
 * <p>Token fields follow FHIR token search: {@code X} holds {@code system|value} (or {@code
 * |value} when there is no system) and {@code X_value} holds the bare value, so {@code
 * system|value}, {@code |value} and {@code value} each become one term lookup.
 */
public final class IndexFields {

  public static final String ID = "id";
  /** Epoch millis of {@code AuditEvent.recorded}. */
  public static final String RECORDED = "recorded";
  /** The whole resource as FHIR JSON; stored, never indexed. */
  public static final String JSON = "json";

  public static final String PATIENT_IDENTIFIER = "patient_identifier";
  public static final String PATIENT_IDENTIFIER_VALUE = "patient_identifier_value";
  public static final String PATIENT_REFERENCE = "patient_reference";
  public static final String AGENT_IDENTIFIER = "agent_identifier";
  public static final String AGENT_IDENTIFIER_VALUE = "agent_identifier_value";
  public static final String AGENT_REFERENCE = "agent_reference";
  public static final String SOURCE_IDENTIFIER = "source_identifier";
  public static final String SOURCE_IDENTIFIER_VALUE = "source_identifier_value";
  public static final String ACTION = "action";
  public static final String OUTCOME = "outcome";
  public static final String CODE = "code";
  public static final String CODE_VALUE = "code_value";
  public static final String CATEGORY = "category";
  public static final String CATEGORY_VALUE = "category_value";

  /** Every multi-valued keyword field, i.e. everything but id, recorded and json. */
  public static final List<String> KEYWORDS = List.of(
      PATIENT_IDENTIFIER, PATIENT_IDENTIFIER_VALUE, PATIENT_REFERENCE,
      AGENT_IDENTIFIER, AGENT_IDENTIFIER_VALUE, AGENT_REFERENCE,
      SOURCE_IDENTIFIER, SOURCE_IDENTIFIER_VALUE,
      ACTION, OUTCOME, CODE, CODE_VALUE, CATEGORY, CATEGORY_VALUE);

  /** The {@code system|value} form; an absent system indexes as {@code |value}. */
  public static String token(@Nullable String system, String value) {
    return (system == null ? "" : system) + "|" + value;
  }

  private IndexFields() {}
}
