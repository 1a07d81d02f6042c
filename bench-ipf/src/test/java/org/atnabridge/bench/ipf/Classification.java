package org.atnabridge.bench.ipf;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Predicate;
import org.atnabridge.bench.ipf.EventDiff.Difference;

/**
 * Every difference between our R4 projection and IPF's translation gets a verdict here, in code:
 * {@link Verdict#IPF_DEVIATION} only with the specification reference that shows IPF is the one
 * deviating, {@link Verdict#NOT_COMPARED} for what the comparison normalises away, and everything
 * else is {@link Verdict#OUR_BUG} — with the reference that says what R4/BALP expects where one is
 * known. The rules are tried in order; the first that matches decides.
 */
final class Classification {

  enum Verdict {
    OUR_BUG("our bug"),
    IPF_DEVIATION("IPF deviation"),
    NOT_COMPARED("not compared");

    final String label;

    Verdict(String label) {
      this.label = label;
    }
  }

  /**
   * A difference with its verdict and the reference behind it ({@code id}: the rule's short name,
   * used by the report).
   */
  record Classified(Difference difference, Verdict verdict, String id, String reference) {}

  /** What a rule sees: the difference and both (normalised) events it comes from. */
  record Context(Difference d, JsonNode ours, JsonNode ipf) {
    JsonNode oursAt(List<String> segments) {
      return EventDiff.resolve(ours, segments);
    }

    JsonNode ipfAt(List<String> segments) {
      return EventDiff.resolve(ipf, segments);
    }

    /** The path of the difference without its last {@code n} segments. */
    List<String> up(int n) {
      return d.segments().subList(0, d.segments().size() - n);
    }

    boolean oursOnly() {
      return d.ipf() == null && d.ours() != null;
    }

    boolean ipfOnly() {
      return d.ours() == null && d.ipf() != null;
    }

    boolean shape(String regex) {
      return d.shape().matches(regex);
    }
  }

  /** A rule; its id is its verdict's letter and its place among the rules of that verdict. */
  record Rule(String id, Verdict verdict, String reference, Predicate<Context> when) {}

  private static final String PRODUCT = "http://atna-bridge.org/";
  private static final String DCM = "http://dicom.nema.org/resources/ontology/DCM";

  private static final List<Rule> RULES =
      List.of(
          // --- normalised away -----------------------------------------------------------------
          new Rule(
              "N1",
              Verdict.NOT_COMPARED,
              "R4 Resource.meta: repository metadata (BALP pattern claim, conversion flags), not part"
                  + " of the DICOM → AuditEvent translation",
              c -> c.oursOnly() && c.d().segments().getFirst().equals("meta")),
          new Rule(
              "N2",
              Verdict.NOT_COMPARED,
              "R4 Element.extension: ATNA Bridge's own provenance extension (raw receipt,"
                  + " correlation id, the DICOM codes kept verbatim); IPF has no counterpart",
              c ->
                  c.oursOnly()
                      && c.d().segments().size() >= 2
                      && c.d().segments().get(c.d().segments().size() - 2).equals("extension")
                      && c.d().last().startsWith("[" + PRODUCT)),

          // --- ours lacks or changes what IPF has and R4 / BALP define (named: the report says
          // what
          // is expected); what only ours has goes on to the rules below
          new Rule(
              "B1",
              Verdict.OUR_BUG,
              "R4 AuditEvent.agent.altId ← DICOM PS3.15 A.5.1 ActiveParticipant@AlternativeUserID"
                  + " (R4 has the element; the R5 extension auditevent-AlternativeUserID is not the"
                  + " R4 form)",
              c ->
                  (!c.oursOnly() && c.shape("agent\\[\\*\\]\\.altId"))
                      || extensionInR4(c, "AlternativeUserID")),
          new Rule(
              "B2",
              Verdict.OUR_BUG,
              "R4 AuditEvent.agent.name ← DICOM ActiveParticipant@UserName (dropped by HL7's"
                  + " AuditEvent40_50)",
              c -> !c.oursOnly() && (c.shape("agent\\[\\*\\]\\.name"))),
          new Rule(
              "B3",
              Verdict.OUR_BUG,
              "R4 AuditEvent.agent.network.address/.type ← DICOM @NetworkAccessPointID /"
                  + " @NetworkAccessPointTypeCode; BALP 1.1.4 client/server slices: network 1..1;"
                  + " the plain address, not R5's bracketed literal",
              c -> !c.oursOnly() && (c.shape("agent\\[\\*\\]\\.network(\\..*)?"))),
          new Rule(
              "B4",
              Verdict.OUR_BUG,
              "R4 AuditEvent.agent.media ← DICOM ActiveParticipant/MediaIdentifier/MediaType",
              c -> !c.oursOnly() && (c.shape("agent\\[\\*\\]\\.media(\\..*)?"))),
          new Rule(
              "B5",
              Verdict.OUR_BUG,
              "R4 AuditEvent.source.site ← DICOM AuditSourceIdentification@AuditEnterpriseSiteID"
                  + " (a string in R4; dropped by HL7's AuditEvent40_50)",
              c -> !c.oursOnly() && (c.shape("source\\.site(\\..*)?"))),
          new Rule(
              "B6",
              Verdict.OUR_BUG,
              "R4 AuditEvent.entity.type ← DICOM @ParticipantObjectTypeCode (audit-entity-type);"
                  + " BALP 1.1.4 slices entity by type (ENT#1 patient, ENT#2 data/query)",
              c -> c.shape("entity\\[\\*\\]\\.type(\\.(system|code))?") && !c.oursOnly()),
          new Rule(
              "B7",
              Verdict.OUR_BUG,
              "R4 AuditEvent.entity.lifecycle ← DICOM @ParticipantObjectDataLifeCycle (R4 has the"
                  + " element; the R5 extension auditevent-Lifecycle is not the R4 form)",
              c ->
                  (!c.oursOnly() && c.shape("entity\\[\\*\\]\\.lifecycle(\\..*)?"))
                      || extensionInR4(c, "Lifecycle")),
          new Rule(
              "B8",
              Verdict.OUR_BUG,
              "R4 AuditEvent.entity.name ← DICOM ParticipantObjectName (dropped by HL7's"
                  + " AuditEvent40_50)",
              c -> !c.oursOnly() && (c.shape("entity\\[\\*\\]\\.name"))),
          new Rule(
              "B9",
              Verdict.OUR_BUG,
              "R4 Reference.reference: a ParticipantObjectID that is a relative literal reference"
                  + " (Patient/id, from a FHIR transaction) stays a reference; BALP 1.1.4"
                  + " IHE.BasicAudit.Patient* entity:patient.what is Reference(Patient) and its"
                  + " examples use what.reference",
              c -> c.shape("entity\\[\\*\\]\\.what\\.reference") && c.ipfOnly()),

          // --- IPF deviates ----------------------------------------------------------------------
          new Rule(
              "D1",
              Verdict.IPF_DEVIATION,
              "DICOM PS3.15 A.5.1 @EventDateTime is an xs:dateTime with the sender's fraction of a"
                  + " second, and R4 instant allows any number of fraction digits; IPF cuts it to"
                  + " milliseconds (java.util.Date)",
              c ->
                  c.shape("recorded")
                      && c.d().ours() != null
                      && c.d().ipf() != null
                      && Instant.parse(c.d().ours())
                          .truncatedTo(ChronoUnit.MILLIS)
                          .toString()
                          .equals(c.d().ipf())),
          new Rule(
              "D2",
              Verdict.IPF_DEVIATION,
              "DICOM PS3.15 A.5.1 @UserID is 1..1: an empty UserID is an unknown participant, kept"
                  + " as who with the data-absent-reason extension (R4 Element.extension); IPF drops"
                  + " the agent's who",
              c ->
                  c.shape("agent\\[\\*\\]\\.who")
                      && c.oursOnly()
                      && c.d().ours().contains("StructureDefinition/data-absent-reason")),
          new Rule(
              "D3",
              Verdict.IPF_DEVIATION,
              "R4 AuditEvent.agent.role ← every DICOM RoleIDCode (PS3.15 A.5.1 RoleIDCode 0..*);"
                  + " IPF keeps only the first, as agent.type",
              c -> c.shape("agent\\[\\*\\]\\.role\\[\\*\\]") && c.oursOnly()),
          new Rule(
              "D4",
              Verdict.IPF_DEVIATION,
              "BALP 1.1.4 agent slices by type (the pattern ours claims in meta.tag: e.g."
                  + " IHE.BasicAudit.Delete client DCM#110150 / server"
                  + " provenance-participant-type#custodian); ours keeps the DICOM RoleIDCode in"
                  + " agent.role, IPF copies it to agent.type whatever the pattern",
              c ->
                  c.shape("agent\\[\\*\\]\\.type\\.coding\\[\\*\\]")
                      && claimsBalp(c.ours())
                      && roleKeepsIpfType(c)),
          new Rule(
              "D5",
              Verdict.IPF_DEVIATION,
              "DICOM PS3.15 A.5.1 RoleIDCode carries its own codeSystemName; IPF forces the DCM"
                  + " system on agent.type whatever the message says",
              c ->
                  c.shape("agent\\[\\*\\]\\.type\\.coding\\[\\*\\]\\.system")
                      && DCM.equals(c.d().ipf())),
          new Rule(
              "D6",
              Verdict.IPF_DEVIATION,
              "DICOM PS3.15 A.5.1 @ParticipantObjectTypeCodeRole and R4 AuditEvent.entity.role"
                  + " (object-role) have codes 1–24 only; IPF writes an undefined code into the"
                  + " object-role system",
              c ->
                  c.shape("entity\\[\\*\\]\\.role")
                      && c.ipfOnly()
                      && !objectRole(text(c.ipfAt(c.up(0)), "/code"))),
          new Rule(
              "D7",
              Verdict.IPF_DEVIATION,
              "R4 AuditEvent.source.type is bound to security-source-type, whose display for the"
                  + " code is the system's (R4 Coding.display); IPF copies the message's originalText",
              c -> c.shape("source\\.type\\[\\*\\]\\.display") && c.d().ours() != null),
          new Rule(
              "D8",
              Verdict.IPF_DEVIATION,
              "R4 AuditEvent.agent.who (comment: \"Where a User ID is available it will go into"
                  + " who.identifier\"); DICOM PS3.15 A.5.1 @UserID is an identifier — IPF writes it"
                  + " to who.display only",
              c -> c.shape("agent\\[\\*\\]\\.who\\.identifier(\\..*)?") && c.oursOnly()),
          new Rule(
              "D9",
              Verdict.IPF_DEVIATION,
              "R4 Reference.display is text for humans; IPF puts DICOM @UserID there (R4"
                  + " AuditEvent.agent.who: the User ID goes into who.identifier)",
              c ->
                  c.shape("agent\\[\\*\\]\\.who\\.display")
                      && c.d().ipf() != null
                      && c.d().ipf().equals(text(c.oursAt(c.up(1)), "/identifier/value"))),
          new Rule(
              "D10",
              Verdict.IPF_DEVIATION,
              "R4 AuditEvent.source.observer ← DICOM AuditSourceIdentification@AuditSourceID, an"
                  + " identifier (BALP 1.1.4: the observer identifies the recorder); IPF writes it"
                  + " to observer.display only",
              c -> c.shape("source\\.observer\\.identifier(\\..*)?") && c.oursOnly()),
          new Rule(
              "D11",
              Verdict.IPF_DEVIATION,
              "HL7 v2 CX in @ParticipantObjectID (ITI TF-2 ATNA audit messages): CX.1 is the id"
                  + " and CX.4 the assigning authority → R4 Identifier.value (\"unique within the"
                  + " context of the system\") / .system / .assigner, as the FHIR token form"
                  + " system|id is; IPF keeps the whole string in value",
              c ->
                  c.shape("entity\\[\\*\\]\\.what\\.identifier\\.(value|system|assigner)(\\..*)?")
                      && isCx(text(c.ipfAt(c.up(c.d().segments().size() - 4)), "/value"))),
          new Rule(
              "D12",
              Verdict.IPF_DEVIATION,
              "DICOM PS3.15 A.5.1 ParticipantObjectIDTypeCode is 1..1 and types the"
                  + " ParticipantObjectID → R4 entity.what.identifier.type; IPF drops it",
              c ->
                  c.oursOnly()
                      && (c.shape("entity\\[\\*\\]\\.what\\.identifier\\.type(\\..*)?")
                          || (c.shape("entity\\[\\*\\]\\.what\\.identifier")
                              && c.oursAt(c.up(0)).has("type")))),
          new Rule(
              "D13",
              Verdict.IPF_DEVIATION,
              "BALP 1.1.4 IHE.BasicAudit.Patient* entity:patient.what is Reference(Patient): R4"
                  + " Reference.type says so; IPF's reference has no type",
              c -> c.shape("entity\\[\\*\\]\\.what\\.type") && c.oursOnly()),
          new Rule(
              "D14",
              Verdict.IPF_DEVIATION,
              "R4 AuditEvent.entity.what ← DICOM @ParticipantObjectID (PS3.15 A.5.1, 1..1); IPF"
                  + " leaves what out",
              c -> c.shape("entity\\[\\*\\]\\.what") && c.oursOnly()),
          new Rule(
              "D15",
              Verdict.IPF_DEVIATION,
              "BALP 1.1.4 IHE.BasicAudit.PatientQuery: \"one AuditEvent is created for every"
                  + " Patient\";"
                  + " IPF keeps every patient of the message in one event, ours splits",
              c -> c.shape("entity\\[\\*\\]") && c.ipfOnly() && isPatient(c.ipfAt(c.up(0)))),
          new Rule(
              "D16",
              Verdict.IPF_DEVIATION,
              "R4 Coding.display, \"representation defined by the system\": IPF writes none for"
                  + " the code systems it fills in itself; the BALP 1.1.4 examples carry them (e.g."
                  + " AuditEvent-ex-auditBasicQueryGetServer entity.type \"System Object\")",
              c ->
                  c.d().last().equals("display")
                      && c.oursOnly()
                      && c.oursAt(c.up(1)) != null
                      && c.oursAt(c.up(1)).has("code")),
          new Rule(
              "D17",
              Verdict.IPF_DEVIATION,
              "R4 Coding.system is an absolute URI; IPF copies the DICOM codeSystemName verbatim"
                  + " (DICOM PS3.15 A.5.1 codeSystemName names the system, it is not a URI)",
              c ->
                  c.d().last().equals("system")
                      && c.d().ipf() != null
                      && !c.d().ipf().contains(":")));

  private static final Rule UNEXPLAINED =
      new Rule(
          "B0",
          Verdict.OUR_BUG,
          "no rule: ours differs from IPF and no specification reference shows IPF deviating",
          c -> true);

  private Classification() {}

  /** Every rule, the catch-all last: the report's legend. */
  static List<Rule> rules() {
    List<Rule> all = new java.util.ArrayList<>(RULES);
    all.add(UNEXPLAINED);
    return all;
  }

  static Classified classify(Difference d, JsonNode ours, JsonNode ipf) {
    Context c = new Context(d, ours, ipf);
    for (Rule rule : RULES) {
      if (rule.when().test(c)) {
        return new Classified(d, rule.verdict(), rule.id(), rule.reference());
      }
    }
    return new Classified(d, UNEXPLAINED.verdict(), UNEXPLAINED.id(), UNEXPLAINED.reference());
  }

  /** An R5 extension for an element R4 has natively, left in our R4 event. */
  private static boolean extensionInR4(Context c, String name) {
    return c.d().last().equals("[http://hl7.org/fhir/StructureDefinition/auditevent-" + name + "]");
  }

  private static boolean isCx(String value) {
    return value != null && (value.contains("^") || value.contains("|"));
  }

  private static boolean claimsBalp(JsonNode event) {
    for (JsonNode tag : event.path("meta").path("tag")) {
      if (tag.path("system").asText().endsWith("/balp-pattern")) {
        return true;
      }
    }
    return false;
  }

  /** Ours keeps in agent.role every code IPF has in that agent's type: nothing is lost. */
  private static boolean roleKeepsIpfType(Context c) {
    List<String> agent = c.d().segments().subList(0, 2);
    JsonNode ipfAgent = c.ipfAt(agent);
    JsonNode ourAgent = c.oursAt(agent);
    if (ipfAgent == null || ourAgent == null) {
      return false;
    }
    for (JsonNode coding : ipfAgent.path("type").path("coding")) {
      boolean kept = false;
      for (JsonNode role : ourAgent.path("role")) {
        for (JsonNode r : role.path("coding")) {
          kept |= r.path("code").asText().equals(coding.path("code").asText());
        }
      }
      if (!kept) {
        return false;
      }
    }
    return true;
  }

  private static boolean objectRole(String code) {
    try {
      int n = Integer.parseInt(code);
      return n >= 1 && n <= 24;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static boolean isPatient(JsonNode entity) {
    return entity != null && "1".equals(text(entity, "/role/code"));
  }

  private static String text(JsonNode node, String pointer) {
    if (node == null) {
      return null;
    }
    JsonNode at = node.at(pointer);
    return at.isValueNode() ? at.asText() : null;
  }
}
