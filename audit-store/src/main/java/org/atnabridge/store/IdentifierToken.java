package org.atnabridge.store;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A FHIR token search value for an identifier: {@code system|value} matches both; a null system
 * ({@code value} alone) matches the value under any system; an empty system ({@code |value})
 * matches only identifiers that have no system.
 */
public record IdentifierToken(@Nullable String system, String value) {
  public IdentifierToken {
    Objects.requireNonNull(value, "value");
  }
}
