package org.atnabridge.accesslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.atnabridge.accesslog.Lines.combined;
import static org.atnabridge.accesslog.Lines.event;

import org.atnabridge.schemas.vocab.CodeSystems;
import org.hl7.fhir.r5.model.AuditEvent;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Method + path → restful-interaction code, action and BALP pattern (FHIR R5 http.html). */
class InteractionTest {

  @ParameterizedTest(name = "{0} {1} → {2}")
  @CsvSource({
    "GET,    /Patient/123,                         read,               R, IHE.BasicAudit.PatientRead",
    "HEAD,   /Observation/9,                       read,               R, IHE.BasicAudit.Read",
    "GET,    /Observation/9/_history/2,            vread,              R, IHE.BasicAudit.Read",
    "PUT,    /Observation/9,                       update,             U, IHE.BasicAudit.Update",
    "PUT,    /Observation?identifier=x|1,          update,             U, IHE.BasicAudit.Update",
    "PATCH,  /Observation/9,                       patch,              U, IHE.BasicAudit.Update",
    "DELETE, /Observation/9,                       delete,             D, IHE.BasicAudit.Delete",
    "DELETE, /Patient/5,                           delete,             D, IHE.BasicAudit.PatientDelete",
    "POST,   /Observation,                         create,             C, IHE.BasicAudit.Create",
    "GET,    /Observation?code=1234-5,             search-type,        E, IHE.BasicAudit.Query",
    "POST,   /Observation/_search,                 search-type,        E, IHE.BasicAudit.Query",
    "GET,    /?_type=Patient,                      search-system,      E, IHE.BasicAudit.Query",
    "POST,   /_search,                             search-system,      E, IHE.BasicAudit.Query",
    "GET,    /Patient/7/Observation,               search-compartment, E, IHE.BasicAudit.PatientQuery",
    "GET,    /Patient/7/*,                         search-compartment, E, IHE.BasicAudit.PatientQuery",
    "POST,   /Encounter/3/Observation/_search,     search-compartment, E, IHE.BasicAudit.Query",
    "GET,    /Observation/9/_history,              history-instance,   R, ",
    "GET,    /Observation/_history,                history-type,       R, ",
    "GET,    /_history,                            history-system,     R, ",
    "GET,    /metadata,                            capabilities,       E, ",
    "POST,   /,                                    transaction,        E, ",
    "POST,   /$convert,                            operation,          E, ",
    "GET,    /Observation/$lastn,                  operation,          E, ",
    "POST,   /Patient/7/$everything,               operation,          E, ",
  })
  void interaction_fromMethodAndPath(
      String method, String path, String code, String action, String pattern) {
    AuditEvent e = event(combined(method, path, 200));

    assertThat(e.getCategoryFirstRep().getCodingFirstRep().getSystem())
        .isEqualTo(CodeSystems.AUDIT_EVENT_TYPE);
    assertThat(e.getCategoryFirstRep().getCodingFirstRep().getCode()).isEqualTo("rest");
    assertThat(e.getCode().getCodingFirstRep().getSystem())
        .isEqualTo(CodeSystems.RESTFUL_INTERACTION);
    assertThat(e.getCode().getCodingFirstRep().getCode()).isEqualTo(code);
    assertThat(e.getAction().toCode()).isEqualTo(action);
    if (pattern == null) {
      assertThat(e.getMeta().getTag())
          .noneMatch(t -> CodeSystems.BALP_PATTERN.equals(t.getSystem()));
    } else {
      assertThat(e.getMeta().getTag())
          .filteredOn(t -> CodeSystems.BALP_PATTERN.equals(t.getSystem()))
          .singleElement()
          .satisfies(t -> assertThat(t.getCode()).isEqualTo(pattern));
    }
  }

  @ParameterizedTest(name = "{0} {1} → entity {2}")
  @CsvSource({
    "GET,    /Patient/123,              Patient/123",
    "GET,    /Observation/9/_history/2, Observation/9/_history/2",
    "DELETE, /Observation/9,            Observation/9",
    "POST,   /Patient/7/$everything,    Patient/7",
  })
  void dataEntity_whatIsTheResourceReference(String method, String path, String reference) {
    AuditEvent e = event(combined(method, path, 200));
    assertThat(e.getEntity())
        .filteredOn(en -> en.getRole().getCodingFirstRep().getCode().equals("4"))
        .singleElement()
        .satisfies(en -> assertThat(en.getWhat().getReference()).isEqualTo(reference));
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "POST, /Observation,  Observation",
    "POST, /,             Bundle",
    "GET,  /metadata,     CapabilityStatement",
  })
  void dataEntity_withoutInstance_namesTheType(String method, String path, String type) {
    AuditEvent e = event(combined(method, path, 201));
    assertThat(e.getEntity())
        .filteredOn(en -> en.getRole().getCodingFirstRep().getCode().equals("4"))
        .singleElement()
        .satisfies(en -> assertThat(en.getWhat().getType()).isEqualTo(type));
  }

  /** The default source (base {@code /}) finds the FHIR base before the first type or keyword. */
  @ParameterizedTest(name = "{0} {1} → {2}")
  @CsvSource({
    "GET,    /fhir/Patient/p1,                  read,               Patient/p1",
    "GET,    /baseR4/Observation/9/_history/2,  vread,              Observation/9/_history/2",
    "GET,    /api/fhir/r5/Patient/7/Observation, search-compartment, ",
    "GET,    /fhir/metadata,                    capabilities,       ",
    "POST,   /fhir/$convert,                    operation,          ",
  })
  void defaultSource_infersTheBase(String method, String path, String code, String reference) {
    AuditEvent e = event(combined(method, path, 200));
    assertThat(e.getCode().getCodingFirstRep().getCode()).isEqualTo(code);
    if (reference != null) {
      assertThat(e.getEntity())
          .filteredOn(en -> en.getRole().getCodingFirstRep().getCode().equals("4"))
          .singleElement()
          .satisfies(en -> assertThat(en.getWhat().getReference()).isEqualTo(reference));
    }
  }

  /**
   * Without a resource type or keyword there is no base to find: dropped as no interaction, never
   * guessed.
   */
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"POST, /login", "GET, /fhir?_type=Patient", "POST, /fhir", "GET, /app/home?tab=2"})
  void defaultSource_withoutATypeOrKeyword_isNotAnInteraction(String method, String path) {
    assertThat(Lines.convert(combined(method, path, 200)))
        .isEqualTo(new AccessLogConversion.Dropped(DropReason.NOT_AN_INTERACTION));
  }
}
