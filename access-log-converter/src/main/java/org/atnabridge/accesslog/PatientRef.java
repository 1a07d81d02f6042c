package org.atnabridge.accesslog;

import org.jspecify.annotations.Nullable;

/**
 * A patient a request names: by id ({@code Patient/123}) or by business identifier ({@code
 * patient.identifier=system|value}).
 */
public record PatientRef(@Nullable String id, @Nullable String system, @Nullable String value) {

  static PatientRef byId(String id) {
    return new PatientRef(id, null, null);
  }

  static PatientRef byIdentifier(@Nullable String system, String value) {
    return new PatientRef(null, system, value);
  }
}
