package org.atnabridge.search;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.param.DateAndListParam;
import ca.uhn.fhir.rest.param.ReferenceAndListParam;
import ca.uhn.fhir.rest.param.StringAndListParam;
import ca.uhn.fhir.rest.param.TokenAndListParam;
import ca.uhn.fhir.rest.param.UriAndListParam;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.atnabridge.store.AuditQuery;
import org.atnabridge.store.Criterion;
import org.atnabridge.store.SearchField;
import org.junit.jupiter.api.Test;

/** The request parser and HAPI's declaration both follow the parameter table. */
class SearchParametersTest {

  private static final Map<SearchField.Type, Class<?>> HAPI_TYPES =
      Map.of(
          SearchField.Type.TOKEN,
          TokenAndListParam.class,
          SearchField.Type.REFERENCE,
          ReferenceAndListParam.class,
          SearchField.Type.DATE,
          DateAndListParam.class,
          SearchField.Type.STRING,
          StringAndListParam.class,
          SearchField.Type.URI,
          UriAndListParam.class);

  @Test
  void hapiDeclaration_isEveryFhirRowAndAlias_ofTheRowsType() {
    Map<String, Class<?>> declared = new HashMap<>();
    for (Method m : AuditEventResourceProvider.class.getMethods()) {
      if (m.isAnnotationPresent(Search.class)) {
        for (Parameter p : m.getParameters()) {
          OptionalParam op = p.getAnnotation(OptionalParam.class);
          if (op != null) {
            declared.put(op.name(), p.getType());
          }
        }
      }
    }
    Map<String, Class<?>> table = new HashMap<>();
    for (SearchField f : SearchField.fhirParameters()) {
      f.names().forEach(n -> table.put(n, HAPI_TYPES.get(f.type())));
    }
    table.put("_text", StringAndListParam.class);
    table.put("_content", StringAndListParam.class);
    table.put(CursorPages.CURSOR, ca.uhn.fhir.rest.param.StringParam.class);

    assertThat(declared).isEqualTo(table);
  }

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
}
