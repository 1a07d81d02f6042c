package org.atnabridge.store.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.atnabridge.store.SearchField;
import org.jspecify.annotations.Nullable;

/**
 * The physical fields of the index, derived from {@link SearchField}, shared by the Lucene
 * documents and the Elasticsearch mapping so both engines index and match identically. Underscores,
 * not dots: in Elasticsearch a dotted name is an object path.
 *
 * <ul>
 *   <li>TOKEN {@code f}: {@code f} = {@code system|code} ({@code |code} without system, doc values
 *       for aggregations), {@code f_value} = the bare code. So {@code system|code}, {@code |code}
 *       and {@code code} are each one term lookup (FHIR token rules).
 *   <li>REFERENCE {@code f}: {@code f_ref} = the literal reference normalised to {@code Type/id}
 *       (and as written when absolute), {@code f_refid} = the id part, {@code f_identifier} /
 *       {@code f_identifier_value} = the identifier as a token, {@code f_key} = reference or
 *       identifier token (doc values, aggregations).
 *   <li>DATE {@code f}: epoch millis (points and doc values).
 *   <li>URI {@code f}: exact. STRING {@code f}: exact (doc values); {@code f_norm}: lowercase
 *       without accents, for FHIR's default starts-with and {@code :contains}.
 * </ul>
 *
 * Plus {@link #PRESENT} (the codes of the fields that have a value, for {@code :missing}), {@link
 * #TEXT} (free text) and {@link #JSON} (the resource, stored only).
 */
public final class IndexFields {

  public static final String ID = "id";

  /** Epoch millis of {@code AuditEvent.recorded}. */
  public static final String RECORDED = SearchField.DATE.indexName();

  public static final String LAST_UPDATED = SearchField.LAST_UPDATED.indexName();

  /** Epoch millis of the receipt time ({@link SearchField#RECEIVED}). */
  public static final String RECEIVED = SearchField.RECEIVED.indexName();

  /** The codes of the search fields that have at least one value in the event. */
  public static final String PRESENT = "present";

  /**
   * Analysed text ({@code _text}, {@code _content}) over displays, names and descriptions, and the
   * ids and identifier values of agents, patients, entities and the source, alternative user ids
   * and sites.
   */
  public static final String TEXT = "text";

  /** The whole resource as FHIR JSON; stored, never indexed. */
  public static final String JSON = "json";

  /** Longest keyword value indexed, in chars: far below Lucene's 32 KB term limit. */
  public static final int MAX_KEYWORD_CHARS = 4096;

  private IndexFields() {}

  /**
   * The physical names derived from each search field, built once: the extraction names a field for
   * every value it adds, and a name concatenated per call would be a new string hashed anew each
   * time (the projection's main cost before).
   */
  private static final class Names {
    private static final SearchField[] FIELDS = SearchField.values();
    static final String[] VALUE = names("_value");
    static final String[] REF = names("_ref");
    static final String[] REF_ID = names("_refid");
    static final String[] IDENTIFIER = names("_identifier");
    static final String[] IDENTIFIER_VALUE = names("_identifier_value");
    static final String[] KEY = names("_key");
    static final String[] NORM = names("_norm");

    private static String[] names(String suffix) {
      String[] names = new String[FIELDS.length];
      for (SearchField f : FIELDS) {
        names[f.ordinal()] = f.indexName() + suffix;
      }
      return names;
    }
  }

  public static String tokenField(SearchField f) {
    return f == SearchField.ID ? ID : f.indexName();
  }

  public static String valueField(SearchField f) {
    return f == SearchField.ID ? ID : Names.VALUE[f.ordinal()];
  }

  public static String refField(SearchField f) {
    return Names.REF[f.ordinal()];
  }

  public static String refIdField(SearchField f) {
    return Names.REF_ID[f.ordinal()];
  }

  public static String identifierField(SearchField f) {
    return Names.IDENTIFIER[f.ordinal()];
  }

  public static String identifierValueField(SearchField f) {
    return Names.IDENTIFIER_VALUE[f.ordinal()];
  }

  public static String keyField(SearchField f) {
    return Names.KEY[f.ordinal()];
  }

  public static String exactField(SearchField f) {
    return f.indexName();
  }

  public static String normField(SearchField f) {
    return Names.NORM[f.ordinal()];
  }

  /** The field a terms aggregation on {@code f} counts. */
  public static String aggregationField(SearchField f) {
    return switch (f.type()) {
      case REFERENCE -> keyField(f);
      case TOKEN -> tokenField(f);
      default -> f.indexName();
    };
  }

  /**
   * Every keyword field with whether it keeps doc values (sort and aggregations); the date fields,
   * {@link #TEXT} and {@link #JSON} are not included.
   */
  public static Map<String, Boolean> keywordFields() {
    Map<String, Boolean> m = new LinkedHashMap<>();
    m.put(ID, true);
    for (SearchField f : SearchField.values()) {
      switch (f.type()) {
        case TOKEN -> {
          if (f != SearchField.ID) {
            m.put(tokenField(f), true);
            m.put(valueField(f), false);
          }
        }
        case REFERENCE -> {
          m.put(refField(f), false);
          m.put(refIdField(f), false);
          m.put(identifierField(f), true);
          m.put(identifierValueField(f), false);
          m.put(keyField(f), true);
        }
        case URI -> m.put(f.indexName(), true);
        case STRING -> {
          m.put(exactField(f), true);
          m.put(normField(f), false);
        }
        case DATE -> {}
      }
    }
    m.put(PRESENT, false);
    return m;
  }

  public static List<String> dateFields() {
    List<String> l = new ArrayList<>();
    for (SearchField f : SearchField.values()) {
      if (f.type() == SearchField.Type.DATE) {
        l.add(f.indexName());
      }
    }
    return l;
  }

  /** The {@code system|value} form; an absent system indexes as {@code |value}. */
  public static String token(@Nullable String system, String value) {
    return (system == null ? "" : system) + "|" + value;
  }
}
