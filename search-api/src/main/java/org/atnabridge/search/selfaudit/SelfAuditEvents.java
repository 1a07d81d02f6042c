package org.atnabridge.search.selfaudit;

import static org.atnabridge.schemas.vocab.CodeSystems.AUDIT_EVENT_OUTCOME;
import static org.atnabridge.schemas.vocab.CodeSystems.AUDIT_EVENT_TYPE;
import static org.atnabridge.schemas.vocab.CodeSystems.BALP_ENTITY_TYPE;
import static org.atnabridge.schemas.vocab.CodeSystems.DCM;
import static org.atnabridge.schemas.vocab.CodeSystems.OBJECT_ROLE;
import static org.atnabridge.schemas.vocab.CodeSystems.RECORD_ORIGIN;
import static org.atnabridge.schemas.vocab.CodeSystems.RESTFUL_INTERACTION;
import static org.atnabridge.schemas.vocab.CodeSystems.SELF_AUDIT;
import static org.atnabridge.schemas.vocab.CodeSystems.V3_PARTICIPATION_TYPE;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.Reference;
import org.jspecify.annotations.Nullable;

/**
 * Builds the AuditEvent that records one use of the audit trail, shaped like BALP
 * (IHE.BasicAudit.Read and IHE.BasicAudit.Query, BALP 1.1.4) on R5: category {@code rest} plus DCM
 * 110101 "Audit Log Used"; code the RESTful interaction; agents client (the caller's network
 * address), server (this repository) and user (the caller, requestor); a query entity carrying the
 * base64 request for searches, a data entity naming the AuditEvent for reads.
 *
 * <p>BALP direction trap (IHE.BasicAudit.Read): for a read the data flows to the client, so the
 * client is the Destination (110152) and the server the Source (110153); for a query it is the
 * other way round.
 */
public final class SelfAuditEvents {

  /**
   * What was done, by whom, from where, with what result.
   *
   * @param requestLine method and target, the query {@link RequestScrubber scrubbed}
   * @param headers as received; only {@link RequestScrubber#RECORDED_HEADERS} are recorded
   * @param queryString the search criteria (of a GET its query string, of a POST its form body or
   *     Parameters), {@link RequestScrubber scrubbed}, or null
   */
  public record Use(
      boolean read,
      String requestLine,
      Map<String, List<String>> headers,
      @Nullable String queryString,
      @Nullable String readId,
      String caller,
      String callerAddress,
      String repository,
      @Nullable String requestId,
      boolean success,
      @Nullable String failure,
      Instant at) {}

  private SelfAuditEvents() {}

  public static AuditEvent of(Use use) {
    AuditEvent e = new AuditEvent();
    e.getMeta().addTag(RECORD_ORIGIN, SELF_AUDIT, "recorded by this repository about its own use");
    e.addCategory(
        new CodeableConcept(new Coding(AUDIT_EVENT_TYPE, "rest", "Restful Operation"))
            .addCoding(new Coding(DCM, "110101", "Audit Log Used")));
    e.setCode(
        new CodeableConcept(
            use.read()
                ? new Coding(RESTFUL_INTERACTION, "read", "read")
                : new Coding(RESTFUL_INTERACTION, "search-type", "search type")));
    e.setAction(use.read() ? AuditEvent.AuditEventAction.R : AuditEvent.AuditEventAction.E);
    e.setRecorded(Date.from(use.at()));
    e.getOutcome()
        .setCode(
            new Coding(
                AUDIT_EVENT_OUTCOME,
                use.success() ? "0" : "4",
                use.success() ? "Success" : "Minor failure"));
    if (use.failure() != null) {
      e.getOutcome().addDetail().setText(ControlCharacters.escape(use.failure()));
    }

    AuditEvent.AuditEventAgentComponent client = e.addAgent();
    client.setType(
        new CodeableConcept(
            use.read()
                ? new Coding(DCM, "110152", "Destination Role ID")
                : new Coding(DCM, "110153", "Source Role ID")));
    client.setWho(new Reference().setIdentifier(new Identifier().setValue(use.callerAddress())));
    client.setRequestor(false);
    client.setNetwork(new org.hl7.fhir.r5.model.StringType(use.callerAddress()));

    AuditEvent.AuditEventAgentComponent server = e.addAgent();
    server.setType(
        new CodeableConcept(
            use.read()
                ? new Coding(DCM, "110153", "Source Role ID")
                : new Coding(DCM, "110152", "Destination Role ID")));
    server.setWho(new Reference().setIdentifier(new Identifier().setValue(use.repository())));
    server.setRequestor(false);

    AuditEvent.AuditEventAgentComponent user = e.addAgent();
    user.setType(
        new CodeableConcept(new Coding(V3_PARTICIPATION_TYPE, "IRCP", "information recipient")));
    user.setWho(
        new Reference()
            .setIdentifier(new Identifier().setValue(use.caller()))
            .setDisplay(use.caller()));
    user.setRequestor(true);

    e.getSource()
        .setObserver(
            new Reference()
                .setIdentifier(new Identifier().setValue(use.repository()))
                .setDisplay(use.repository()));

    if (use.requestId() != null) {
      // BALP "transaction" entity: correlates this record with the server log line of the request
      e.addEntity()
          .setWhat(new Reference().setIdentifier(new Identifier().setValue(use.requestId())))
          .setRole(new CodeableConcept(new Coding(BALP_ENTITY_TYPE, "XrequestId", "X-Request-Id")));
    }
    if (use.read()) {
      AuditEvent.AuditEventEntityComponent data = e.addEntity();
      String id = String.valueOf(use.readId());
      data.setWhat(new Reference(id.contains("/") ? id : "AuditEvent/" + id));
      data.setRole(new CodeableConcept(new Coding(OBJECT_ROLE, "13", "Security Resource")));
    } else {
      AuditEvent.AuditEventEntityComponent query = e.addEntity();
      query.setRole(new CodeableConcept(new Coding(OBJECT_ROLE, "24", "Query")));
      query.setQuery(rawRequest(use).getBytes(StandardCharsets.UTF_8));
      if (use.queryString() != null) {
        query
            .addDetail()
            .setType(new CodeableConcept().setText("query-string"))
            .setValue(
                new org.hl7.fhir.r5.model.StringType(ControlCharacters.escape(use.queryString())));
      }
    }
    return e;
  }

  /**
   * Turns a record built by {@link #of} for a query into BALP's record of a create, update or
   * delete ({@code interaction}, R5 restful-interaction) of {@code what} ({@code Type/id}): action
   * C, U or D, the changed resource as a Domain Resource entity beside the request.
   */
  public static AuditEvent asChange(AuditEvent e, String interaction, String what) {
    e.setCode(new CodeableConcept(new Coding(RESTFUL_INTERACTION, interaction, interaction)));
    e.setAction(
        switch (interaction) {
          case "create" -> AuditEvent.AuditEventAction.C;
          case "update" -> AuditEvent.AuditEventAction.U;
          default -> AuditEvent.AuditEventAction.D;
        });
    AuditEvent.AuditEventEntityComponent data = e.addEntity();
    data.setWhat(new Reference(what));
    data.setRole(new CodeableConcept(new Coding(OBJECT_ROLE, "4", "Domain Resource")));
    return e;
  }

  /**
   * The request line, the allow-listed headers and, for a POST, its criteria as the body (BALP:
   * base64 of the raw request); credentials never, whatever header or parameter carried them.
   */
  static String rawRequest(Use use) {
    StringBuilder raw =
        new StringBuilder(ControlCharacters.escape(use.requestLine())).append("\r\n");
    RequestScrubber.headers(use.headers())
        .forEach(
            (name, values) -> {
              for (String v : values) {
                raw.append(name).append(": ").append(v).append("\r\n");
              }
            });
    if (use.requestLine().startsWith("POST ") && use.queryString() != null) {
      raw.append("\r\n").append(use.queryString());
    }
    return raw.toString();
  }
}
