package org.atnabridge.search.security;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.atnabridge.schemas.vocab.CodeSystems;
import org.atnabridge.schemas.vocab.Extensions;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.Reference;

/**
 * One ITI-81 R4 search per parameter, each with a value taken from the corpus and what it must
 * find, decided on the stored events independently of the server (what the parameter's definition
 * says).
 */
final class Iti81Rows {

  /** A search: the parameter, the query as an ITI-81 client sends it, and who must match. */
  record Row(String parameter, String query, Predicate<AuditEvent> matches) {}

  /** Values a client can send unescaped (FHIR search escaping of {@code , | $ \}). */
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._:/@-]+");

  private final List<AuditEvent> corpus;

  Iti81Rows(List<AuditEvent> corpus) {
    this.corpus = corpus;
  }

  List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    AuditEvent first = corpus.get(0);
    LocalDate day = first.getRecorded().toInstant().atZone(ZoneOffset.UTC).toLocalDate();
    rows.add(
        new Row(
            "date",
            "date=ge" + day + "&date=lt" + day.plusDays(1),
            e -> day.equals(e.getRecorded().toInstant().atZone(ZoneOffset.UTC).toLocalDate())));
    rows.add(
        new Row(
            "date",
            "date=lt" + day.plusDays(1),
            e ->
                e.getRecorded()
                    .toInstant()
                    .isBefore(day.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC))));
    rows.add(
        tokenRow(
            "type", e -> e.getCategory().stream().flatMap(c -> c.getCoding().stream()).toList()));
    rows.add(tokenRow("subtype", e -> e.getCode().getCoding()));
    rows.add(tokenRow("action", e -> List.of(new Coding(null, e.getAction().toCode(), null))));
    rows.add(
        tokenRow(
            "agent-role",
            e ->
                e.getAgent().stream()
                    .flatMap(a -> a.getRole().stream())
                    .flatMap(c -> c.getCoding().stream())
                    .toList()));
    rows.add(
        identifierRow(
            "agent.identifier", e -> e.getAgent().stream().map(a -> a.getWho()).toList()));
    rows.add(referenceRow("agent", e -> e.getAgent().stream().map(a -> a.getWho()).toList()));
    rows.add(identifierRow("patient.identifier", e -> List.of(e.getPatient())));
    rows.add(referenceRow("patient", e -> List.of(e.getPatient())));
    rows.add(
        identifierRow(
            "entity.identifier", e -> e.getEntity().stream().map(x -> x.getWhat()).toList()));
    rows.add(referenceRow("entity", e -> e.getEntity().stream().map(x -> x.getWhat()).toList()));
    rows.add(identifierRow("source.identifier", e -> List.of(e.getSource().getObserver())));
    rows.add(referenceRow("source", e -> List.of(e.getSource().getObserver())));
    rows.add(
        tokenRow(
            "entity-type",
            e ->
                e.getEntity().stream()
                    .flatMap(x -> x.getExtensionsByUrl(Extensions.PARTICIPANT_OBJECT_TYPE).stream())
                    .map(x -> x.getValue() instanceof Coding c ? c : new Coding())
                    .toList()));
    rows.add(
        tokenRow(
            "entity-role",
            e -> e.getEntity().stream().flatMap(x -> x.getRole().getCoding().stream()).toList()));
    rows.addAll(addressRows());
    rows.add(outcomeRow());
    rows.add(
        tokenRow(
            "altid",
            e ->
                e.getAgent().stream()
                    .flatMap(a -> a.getExtensionsByUrl(Extensions.HL7_ALTERNATIVE_USER_ID).stream())
                    .map(
                        x ->
                            x.getValue() instanceof Identifier i
                                ? new Coding(i.getSystem(), i.getValue(), null)
                                : new Coding())
                    .toList()));
    rows.add(
        uriRow(
            "policy",
            e ->
                e.getAgent().stream()
                    .flatMap(a -> a.getPolicy().stream())
                    .map(u -> u.getValue())
                    .toList()));
    rows.add(
        tokenRow(
            "purpose",
            e ->
                Stream.concat(
                        e.getAuthorization().stream(),
                        e.getAgent().stream().flatMap(a -> a.getAuthorization().stream()))
                    .flatMap(c -> c.getCoding().stream())
                    .toList()));
    rows.add(tokenRow("_id", e -> List.of(new Coding(null, e.getIdPart(), null))));
    return rows;
  }

  /** {@code address} in the plain form a DICOM sender and an ITI-81 client write, and in R5's. */
  private List<Row> addressRows() {
    Function<AuditEvent, List<String>> bare =
        e ->
            e.getAgent().stream()
                .filter(a -> a.hasNetworkStringType())
                .map(a -> a.getNetworkStringType().getValue().replaceAll("^\\[|\\]$", ""))
                .toList();
    List<Row> rows = new ArrayList<>();
    for (String q : List.of("10.1.1.7", "[10.1.1.7]", "2001:db8::1", "[2001:db8::1]")) {
      String plain = q.replaceAll("^\\[|\\]$", "").toLowerCase(Locale.ROOT);
      rows.add(
          new Row(
              "address",
              "address=" + encode(q),
              e ->
                  bare.apply(e).stream()
                      .anyMatch(a -> a.toLowerCase(Locale.ROOT).startsWith(plain))));
    }
    return rows;
  }

  /** R4's outcome system and code (0/4/8/12): the first failure in the corpus. */
  private Row outcomeRow() {
    String code =
        corpus.stream()
            .map(e -> e.getOutcome().getCode().getCode())
            .filter(c -> c != null && !c.equals("0"))
            .findFirst()
            .orElseThrow();
    return new Row(
        "outcome",
        "outcome=" + encode("http://hl7.org/fhir/audit-event-outcome|" + code),
        e ->
            CodeSystems.AUDIT_EVENT_OUTCOME.equals(e.getOutcome().getCode().getSystem())
                && code.equals(e.getOutcome().getCode().getCode()));
  }

  private Row tokenRow(String name, Function<AuditEvent, List<Coding>> codings) {
    Coding c =
        first(
            name,
            codings,
            x ->
                x.hasCode()
                    && PLAIN.matcher(x.getCode()).matches()
                    && (!x.hasSystem() || PLAIN.matcher(x.getSystem()).matches()));
    String value = c.hasSystem() ? c.getSystem() + "|" + c.getCode() : c.getCode();
    return new Row(
        name,
        name + "=" + encode(value),
        e ->
            codings.apply(e).stream()
                .anyMatch(
                    x ->
                        c.getCode().equals(x.getCode())
                            && (!c.hasSystem() || c.getSystem().equals(x.getSystem()))));
  }

  private Row uriRow(String name, Function<AuditEvent, List<String>> values) {
    String v = first(name, values, x -> x != null && PLAIN.matcher(x).matches());
    return new Row(name, name + "=" + encode(v), e -> values.apply(e).contains(v));
  }

  private Row identifierRow(String name, Function<AuditEvent, List<Reference>> refs) {
    Identifier id =
        first(
            name,
            refs.andThen(l -> l.stream().map(Reference::getIdentifier).toList()),
            i ->
                i.hasValue()
                    && !i.getValue().equals("unknown") // the converter's stand-in for a missing id
                    && PLAIN.matcher(i.getValue()).matches()
                    && (!i.hasSystem() || PLAIN.matcher(i.getSystem()).matches()));
    return new Row(
        name,
        name + "=" + encode(id.hasSystem() ? id.getSystem() + "|" + id.getValue() : id.getValue()),
        e ->
            refs.apply(e).stream()
                .map(Reference::getIdentifier)
                .anyMatch(
                    i ->
                        (!id.hasSystem() || id.getSystem().equals(i.getSystem()))
                            && id.getValue().equals(i.getValue())));
  }

  private Row referenceRow(String name, Function<AuditEvent, List<Reference>> refs) {
    String ref =
        first(
            name,
            refs.andThen(l -> l.stream().map(Reference::getReference).toList()),
            r -> r != null && r.matches("[A-Z][A-Za-z]+/[A-Za-z0-9.-]+"));
    return new Row(
        name,
        name + "=" + encode(ref),
        e -> refs.apply(e).stream().anyMatch(r -> ref.equals(r.getReference())));
  }

  private <T> T first(String name, Function<AuditEvent, List<T>> values, Predicate<T> usable) {
    Optional<T> v =
        corpus.stream()
            .flatMap(e -> values.apply(e).stream())
            .filter(Objects::nonNull)
            .filter(usable)
            .findFirst();
    return v.orElseThrow(() -> new AssertionError("no corpus event has a usable " + name));
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
