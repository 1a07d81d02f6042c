package org.atnabridge.search;

import ca.uhn.fhir.rest.param.DateParam;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ParamPrefixEnum;
import ca.uhn.fhir.rest.param.ReferenceOrListParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.time.Instant;
import java.util.Date;
import java.util.Set;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.store.AuditQuery;
import org.atnabridge.store.IdentifierToken;
import org.jspecify.annotations.Nullable;

/**
 * FHIR search parameters → {@link AuditQuery}. Pure; parsing of the parameter syntax itself
 * (prefixes, precision, {@code system|value} escaping) is HAPI's.
 *
 * <p>{@code date} is {@code AuditEvent.recorded} (R5 §3.4): a value stands for the whole range of
 * its precision ({@code date=2026-01-05} is that whole day), prefixes {@code eq ge gt le lt sa eb}
 * move the bounds. {@code ne} and {@code ap} are refused rather than silently approximated.
 *
 * <p>{@code patient} accepts a literal reference ({@code Patient/123}), the reference modifier
 * {@code patient:identifier=system|value} (FHIR R5) and the chain {@code patient.identifier=…}
 * that ITI-81 (R4) clients send; both identifier forms match {@code AuditEvent.patient.identifier}.
 */
public final class SearchParameterMapper {

  static final String IDENTIFIER = "identifier";
  private static final Set<ParamPrefixEnum> UNSUPPORTED_DATE_PREFIXES =
      Set.of(ParamPrefixEnum.NOT_EQUAL, ParamPrefixEnum.APPROXIMATE);

  private SearchParameterMapper() {}

  public static AuditQuery.Builder map(@Nullable DateRangeParam date, @Nullable ReferenceOrListParam patient) {
    AuditQuery.Builder b = AuditQuery.builder();
    if (date != null) {
      checkPrefix(date.getLowerBound());
      checkPrefix(date.getUpperBound());
      Date lower = date.getLowerBoundAsInstant();
      Date upper = date.getUpperBoundAsInstant(); // inclusive, millisecond precision
      if (lower != null) {
        b.recordedFrom(lower.toInstant());
      }
      if (upper != null) {
        b.recordedTo(Instant.ofEpochMilli(upper.getTime() + 1));
      }
    }
    if (patient != null) {
      for (ReferenceParam ref : patient.getValuesAsQueryTokens()) {
        addPatient(b, ref);
      }
    }
    return b;
  }

  private static void addPatient(AuditQuery.Builder b, ReferenceParam ref) {
    String chain = ref.getChain();
    if (IDENTIFIER.equals(chain)) {
      b.patientIdentifier(identifier(ref.getValue()));
      return;
    }
    if (chain != null && !chain.isEmpty()) {
      throw new InvalidRequestException("patient." + chain + " is not supported; use patient.identifier");
    }
    String value = ref.getValue();
    // HAPI reads a ":identifier" modifier as a resource type and prefixes the value with it
    if (IDENTIFIER.equals(ref.getResourceType())) {
      b.patientIdentifier(identifier(value.substring(IDENTIFIER.length() + 1)));
      return;
    }
    if (value.isBlank()) {
      throw new InvalidRequestException("patient needs a value");
    }
    b.patientReference(ref.hasResourceType() ? ref.getResourceType() + "/" + ref.getIdPart() : "Patient/" + value);
  }

  static IdentifierToken identifier(String queryToken) {
    TokenParam token = new TokenParam();
    token.setValueAsQueryToken(Fhir.context(), IDENTIFIER, null, queryToken);
    if (token.getValue() == null || token.getValue().isBlank()) {
      throw new InvalidRequestException("patient identifier needs a value: system|value or value");
    }
    return new IdentifierToken(token.getSystem(), token.getValue());
  }

  private static void checkPrefix(@Nullable DateParam bound) {
    if (bound != null && bound.getPrefix() != null && UNSUPPORTED_DATE_PREFIXES.contains(bound.getPrefix())) {
      throw new InvalidRequestException("date prefix '" + bound.getPrefix().getValue() + "' is not supported");
    }
  }
}
