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
import org.atnabridge.store.SearchField;
import org.junit.jupiter.api.Test;

/** HAPI's declaration of the search follows the parameter table, as the request parser does. */
class SearchDeclarationTest {

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
}
