package org.atnabridge.search.selfaudit;

import org.atnabridge.schemas.vocab.CodeSystems;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.Reference;
import org.hl7.fhir.r5.model.StringType;

/**
 * The participants of a record this repository writes about someone using it: the user (the
 * requestor, an information recipient, with their network address) and the repository itself (the
 * destination agent and the source).
 */
final class RepositoryParticipants {

  private RepositoryParticipants() {}

  /** A new record tagged as written by this repository about its own use. */
  static AuditEvent selfAuditRecord() {
    AuditEvent e = new AuditEvent();
    e.getMeta()
        .addTag(
            CodeSystems.RECORD_ORIGIN,
            CodeSystems.SELF_AUDIT,
            "recorded by this repository about its own use");
    return e;
  }

  /** Adds the requesting user: {@code who}, displayed as its value, from {@code address}. */
  static void addUser(AuditEvent e, Identifier who, String address) {
    AuditEvent.AuditEventAgentComponent user = e.addAgent();
    user.setType(
        new CodeableConcept(
            new Coding(CodeSystems.V3_PARTICIPATION_TYPE, "IRCP", "information recipient")));
    user.setWho(new Reference().setIdentifier(who).setDisplay(who.getValue()));
    user.setRequestor(true);
    user.setNetwork(new StringType(address));
  }

  /** Adds this repository as the destination agent and as the source. */
  static void addRepository(AuditEvent e, String repository) {
    AuditEvent.AuditEventAgentComponent server = e.addAgent();
    server.setType(
        new CodeableConcept(new Coding(CodeSystems.DCM, "110152", "Destination Role ID")));
    server.setWho(new Reference().setIdentifier(new Identifier().setValue(repository)));
    server.setRequestor(false);
    e.getSource()
        .setObserver(
            new Reference()
                .setIdentifier(new Identifier().setValue(repository))
                .setDisplay(repository));
  }
}
