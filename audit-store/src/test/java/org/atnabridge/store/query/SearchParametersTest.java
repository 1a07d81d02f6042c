package org.atnabridge.store.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.atnabridge.store.AuditQuery;
import org.atnabridge.store.Criterion;
import org.atnabridge.store.SearchField;
import org.junit.jupiter.api.Test;

/** The request parser follows the parameter table. */
class SearchParametersTest {

  @Test
  void apply_everyRowByItsType_andMissingTheSameForAll() {
    for (SearchField f : SearchField.fhirParameters()) {
      for (String name : f.names()) {
        String value =
            switch (f.type()) {
              case DATE -> "ne2026-01-05";
              case REFERENCE -> "Device/x";
              case URI -> "urn:x";
              default -> "x";
            };
        AuditQuery.Builder b = AuditQuery.builder();
        assertThat(SearchParameters.apply(b, Map.of(name, new String[] {value}), Set.of()))
            .isNull();
        assertThat(b.build().criteria())
            .as(name)
            .singleElement()
            .satisfies(
                c -> {
                  assertThat(c.field()).isEqualTo(f);
                  assertThat(c).isNotInstanceOf(Criterion.Missing.class);
                });

        AuditQuery.Builder missing = AuditQuery.builder();
        SearchParameters.apply(missing, Map.of(name + ":missing", new String[] {"true"}), Set.of());
        assertThat(missing.build().criteria())
            .as(name)
            .containsExactly(new Criterion.Missing(f, true));
      }
    }
  }

  @Test
  void apply_stopsAtTheFirstNameThatIsNoFilter_andSkipsWhatItIsTold() {
    AuditQuery.Builder b = AuditQuery.builder();

    assertThat(SearchParameters.apply(b, Map.of("_count", new String[] {"5"}), Set.of("_count")))
        .isNull();
    assertThat(SearchParameters.apply(b, Map.of("syslog-hostname", new String[] {"h"}), Set.of()))
        .isEqualTo("syslog-hostname"); // an internal row is no FHIR parameter
    assertThat(SearchParameters.apply(b, Map.of("_text", new String[] {"alice"}), Set.of()))
        .isNull();
    assertThat(b.build().text()).isEqualTo("alice");
  }

  @Test
  void fromQueryString_meansWhatTheSameSearchMeans() {
    AuditQuery q = SearchParameters.fromQueryString("category=110114&outcome:not=0&purpose=BTG");
    AuditQuery.Builder b = AuditQuery.builder();
    assertThat(
            SearchParameters.apply(
                b,
                Map.of(
                    "category", new String[] {"110114"},
                    "outcome:not", new String[] {"0"},
                    "purpose", new String[] {"BTG"}),
                Set.of()))
        .isNull();
    assertThat(q.criteria()).containsExactlyInAnyOrderElementsOf(b.build().criteria());
    // percent-encoding is a URL's: the | of system|code may be written %7C
    assertThat(SearchParameters.fromQueryString("patient.identifier=urn:oid:1.2%7C42").criteria())
        .isEqualTo(
            SearchParameters.fromQueryString("patient.identifier=urn:oid:1.2|42").criteria());
  }

  @Test
  void fromQueryString_refusesWhatIsNotAFilter_namingIt() {
    for (String bad : List.of("_count=5", "nosuch=1", "date=notadate", "purpose", "", "a=%zz")) {
      assertThatThrownBy(() -> SearchParameters.fromQueryString(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageNotContaining("Exception");
    }
    assertThatThrownBy(() -> SearchParameters.fromQueryString("purpose=BTG&nosuch=1"))
        .hasMessageContaining("nosuch");
  }
}
