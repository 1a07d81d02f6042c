package org.atnabridge.search.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.search.security.Iti81Rows.Row;
import org.atnabridge.testing.ConformanceDoc;
import org.atnabridge.testing.KafkaBrokerExtension;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * ITI-81 on R4 as a consumer uses it: HAPI's R4 generic client against the R4 base of the secured
 * server ({@code serve}'s composition), loaded with the converted test vectors, the BALP R4
 * examples and a real sender's event. Each ITI-81 / BALP ARR parameter finds exactly the events its
 * definition selects, every page to the end; the access rules are the R5 base's. Writes the {@code
 * iti81} section of {@code docs/conformance.md}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(KafkaBrokerExtension.class)
class Iti81R4IT {

  private static final FhirContext R4 = FhirContext.forR4Cached();

  private final TestIssuer issuer = new TestIssuer();
  private SecuredApi api;
  private Map<String, List<org.hl7.fhir.r5.model.AuditEvent>> byVector;
  private final Map<String, String> vectorOf = new HashMap<>();

  @BeforeAll
  void start(EmbeddedKafkaBroker kafka, @TempDir Path dir) {
    byVector = Iti81Corpus.load();
    byVector.forEach((vector, events) -> events.forEach(e -> vectorOf.put(e.getIdPart(), vector)));
    api =
        SecuredApi.start(
            kafka,
            dir,
            issuer.settings().withPatientIdentifierSystem("urn:oid:1.2.3.4.5"),
            Iti81Corpus.all(byVector),
            s -> s);
    R4.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
  }

  @AfterAll
  void stop() {
    api.close();
  }

  private IGenericClient client(@Nullable String token) {
    IGenericClient c = R4.newRestfulGenericClient(api.server().r4BaseUrl());
    if (token != null) {
      c.registerInterceptor(new BearerTokenAuthInterceptor(token));
    }
    return c;
  }

  private IGenericClient officer() {
    return client(issuer.es256(TestIssuer.claims("officer", "user/AuditEvent.rs")));
  }

  /** Every page of the search, following {@code next} to the end; each event once. */
  private static List<String> searchAll(IGenericClient client, String query, int count) {
    Bundle page =
        client
            .search()
            .byUrl("AuditEvent?" + query + "&_count=" + count)
            .returnBundle(Bundle.class)
            .execute();
    List<String> ids = new ArrayList<>();
    int total = page.getTotal();
    while (true) {
      for (Bundle.BundleEntryComponent e : page.getEntry()) {
        if (e.getResource() instanceof AuditEvent a) {
          ids.add(a.getIdElement().getIdPart());
        }
      }
      if (page.getLink(Bundle.LINK_NEXT) == null) {
        break;
      }
      page = client.loadPage().next(page).execute();
    }
    assertThat(ids).as("%s: each event once", query).doesNotHaveDuplicates().hasSize(total);
    return ids;
  }

  @Test
  void eachIti81Parameter_findsExactlyWhatItsDefinitionSelects_andWritesTheConformanceTable() {
    List<org.hl7.fhir.r5.model.AuditEvent> corpus = Iti81Corpus.all(byVector);
    IGenericClient client = officer();
    StringBuilder md =
        new StringBuilder(
            "## ITI-81 on FHIR R4 (`/fhir/R4`)\n\n"
                + "Each ITI-81 / BALP ARR search parameter, sent by HAPI's R4 generic client to the"
                + " R4 base loaded with the converted test vectors, the BALP 1.1.4 R4 examples (as"
                + " the R4 feed stores them) and one real sender's event; every page read to the"
                + " end. Pass: the events found are exactly those whose stored content the"
                + " parameter's definition selects.\n\n"
                + "| Parameter | Example query | Events | Found in vectors | Result |\n"
                + "|---|---|---|---|---|\n");
    for (Row row : new Iti81Rows(corpus).rows()) {
      Set<String> expected =
          corpus.stream()
              .filter(row.matches())
              .map(e -> e.getIdPart())
              .collect(Collectors.toCollection(TreeSet::new));
      List<String> found = searchAll(client, row.query(), 7);
      assertThat(expected).as(row.query()).isNotEmpty();
      assertThat(new TreeSet<>(found)).as(row.query()).isEqualTo(expected);
      Set<String> vectors = new TreeSet<>();
      found.forEach(
          id -> vectors.add(vectorOf.get(id).replaceAll("^[a-z0-9-]+/|\\.(xml|json)$", "")));
      md.append("| `")
          .append(row.parameter())
          .append("` | `")
          .append(
              java.net.URLDecoder.decode(row.query(), java.nio.charset.StandardCharsets.UTF_8)
                  .replace("|", "\\|"))
          .append("` | ")
          .append(found.size())
          .append(" | ")
          .append(vectorList(vectors))
          .append(" | pass |\n");
    }
    ConformanceDoc.assertSection("iti81", md.toString());
  }

  /** At most six vector names, then how many more. */
  private static String vectorList(Set<String> vectors) {
    List<String> shown = vectors.stream().limit(6).toList();
    return String.join(", ", shown)
        + (vectors.size() > shown.size()
            ? " and " + (vectors.size() - shown.size()) + " more"
            : "");
  }

  @Test
  void pagingToTheEnd_returnsEveryStoredEventOnce() {
    int stored = Iti81Corpus.all(byVector).size();
    assertThat(searchAll(officer(), "_sort=date", 5)).hasSize(stored);
    assertThat(searchAll(officer(), "_sort=-date", 13)).hasSize(stored);
  }

  @Test
  void read_returnsTheR4Projection_andUnknownIdsAre404() {
    org.hl7.fhir.r5.model.AuditEvent stored = byVector.get(Iti81Corpus.SENDER).get(0);
    AuditEvent read =
        officer().read().resource(AuditEvent.class).withId(stored.getIdPart()).execute();
    assertThat(read.getIdElement().getIdPart()).isEqualTo(stored.getIdPart());
    assertThat(read.getRecorded()).isEqualTo(stored.getRecorded());
    assertThat(read.getType().getCode()).isEqualTo("110112");
    assertThatThrownBy(
            () -> officer().read().resource(AuditEvent.class).withId("no-such-event").execute())
        .isInstanceOf(ResourceNotFoundException.class);
  }

  /** A real ATNA sender's NetworkAccessPointID "10.1.1.7" (type 2): plain and bracketed find it. */
  @Test
  void senderAddress_plainAndBracketed_findIt() {
    String id = byVector.get(Iti81Corpus.SENDER).get(0).getIdPart();
    for (String q : List.of("10.1.1.7", "%5B10.1.1.7%5D", "2001:db8::1", "%5B2001:db8::1%5D")) {
      assertThat(searchAll(officer(), "address=" + q, 50)).as(q).containsExactly(id);
    }
  }

  /**
   * The R4 face gives the sender's address back as R4 and DICOM write it: {@code
   * agent.network.address} "10.1.1.7", type 2 (IP address). Needs the projection to restore {@code
   * agent.network}, which HL7's converter drops.
   */
  @Test
  void senderAddress_r4ReturnsThePlainAddressWithType2() {
    String id = byVector.get(Iti81Corpus.SENDER).get(0).getIdPart();
    AuditEvent read = officer().read().resource(AuditEvent.class).withId(id).execute();
    assertThat(read.getAgent())
        .anySatisfy(
            a -> {
              assertThat(a.getNetwork().getAddress()).isEqualTo("10.1.1.7");
              assertThat(a.getNetwork().getType())
                  .isEqualTo(AuditEvent.AuditEventAgentNetworkType._2);
            });
  }

  @Test
  void noToken_is401_wrongScope_is403_asOnR5() {
    assertThatThrownBy(() -> searchAll(client(null), "", 10))
        .isInstanceOf(AuthenticationException.class);
    assertThatThrownBy(
            () ->
                client(issuer.es256(TestIssuer.claims("app", "system/Patient.rs")))
                    .read()
                    .resource(AuditEvent.class)
                    .withId(byVector.get(Iti81Corpus.SENDER).get(0).getIdPart())
                    .execute())
        .isInstanceOf(ForbiddenOperationException.class);
  }

  @Test
  void patientScopedToken_seesOnlyItsPatientsEvents() {
    String token = issuer.patientToken("portal", "sender-patient");
    List<String> seen = searchAll(client(token), "", 20);
    Set<String> expected =
        byVector.get(Iti81Corpus.SENDER).stream()
            .filter(e -> "sender-patient".equals(e.getPatient().getIdentifier().getValue()))
            .map(e -> e.getIdPart())
            .collect(Collectors.toSet());
    assertThat(expected).isNotEmpty();
    assertThat(new TreeSet<>(seen)).isEqualTo(new TreeSet<>(expected));
    String other =
        byVector.get("balp-r4-examples/AuditEvent-ex-auditBasicReadServer.json").get(0).getIdPart();
    assertThatThrownBy(
            () -> client(token).read().resource(AuditEvent.class).withId(other).execute())
        .isInstanceOf(ResourceNotFoundException.class);
  }
}
