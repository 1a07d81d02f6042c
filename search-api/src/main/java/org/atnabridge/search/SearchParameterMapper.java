package org.atnabridge.search;

import ca.uhn.fhir.rest.param.DateParam;
import ca.uhn.fhir.rest.param.DateAndListParam;
import ca.uhn.fhir.rest.param.DateOrListParam;
import ca.uhn.fhir.rest.param.ParamPrefixEnum;
import ca.uhn.fhir.rest.param.ReferenceOrListParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.time.Instant;
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

  public static AuditQuery.Builder map(@Nullable DateAndListParam date, @Nullable ReferenceOrListParam patient) {
    AuditQuery.Builder b = AuditQuery.builder();
    if (date != null) {
      for (DateOrListParam alternatives : date.getValuesAsQueryTokens()) {
        if (alternatives.getValuesAsQueryTokens().size() != 1) {
          throw new InvalidRequestException("date accepts one value per parameter; repeat the parameter to combine bounds");
        }
        applyDate(b, alternatives.getValuesAsQueryTokens().get(0));
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
    // HAPI reads the ":identifier" modifier as if it were a resource type qualifier
    if (IDENTIFIER.equals(ref.getResourceType())) {
      b.patientIdentifier(identifier(value));
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

  /**
   * One {@code date} value narrows [from, to). The value covers [start, start + 1 unit of its
   * precision): {@code eq} keeps that range, {@code ge}/{@code gt}/{@code sa} bound it below at its
   * start/end, {@code le}/{@code lt}/{@code eb} bound it above at its end/start (R5 search §3.2.1.5.7).
   * Several values intersect, as repeated parameters AND.
   */
  private static void applyDate(AuditQuery.Builder b, DateParam param) {
    ParamPrefixEnum prefix = param.getPrefix() == null ? ParamPrefixEnum.EQUAL : param.getPrefix();
    if (UNSUPPORTED_DATE_PREFIXES.contains(prefix)) {
      throw new InvalidRequestException("date prefix '" + prefix.getValue() + "' is not supported");
    }
    if (param.getValue() == null || param.getPrecision() == null) {
      throw new InvalidRequestException("date needs a value such as 2026-01-05 or 2026-01-05T10:00:00Z");
    }
    Instant start = param.getValue().toInstant();
    Instant end = param.getPrecision().add(param.getValue(), 1).toInstant();
    switch (prefix) {
      case EQUAL -> {
        b.narrowRecordedFrom(start);
        b.narrowRecordedTo(end);
      }
      case GREATERTHAN_OR_EQUALS -> b.narrowRecordedFrom(start);
      case GREATERTHAN, STARTS_AFTER -> b.narrowRecordedFrom(end);
      case LESSTHAN_OR_EQUALS -> b.narrowRecordedTo(end);
      case LESSTHAN, ENDS_BEFORE -> b.narrowRecordedTo(start);
      default -> throw new InvalidRequestException("date prefix '" + prefix.getValue() + "' is not supported");
    }
  }
}
