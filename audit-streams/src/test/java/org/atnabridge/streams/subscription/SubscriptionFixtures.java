package org.atnabridge.streams.subscription;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.Set;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.schemas.subscription.BuiltInTopics;
import org.atnabridge.schemas.subscription.SubscriberAccess;
import org.atnabridge.schemas.vocab.CodeSystems;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.Enumerations.SearchModifierCode;
import org.hl7.fhir.r5.model.Enumerations.SubscriptionStatusCodes;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.Reference;
import org.hl7.fhir.r5.model.Subscription;
import org.jspecify.annotations.Nullable;

/** Stored Subscriptions and AuditEvents for the matcher's tests. */
final class SubscriptionFixtures {

  static final String PATIENT_SYSTEM = "urn:oid:1.2.3.4";
  static final Instant RECORDED = Instant.parse("2026-12-01T10:00:00Z");

  /** A user-level creator with the default clearance. */
  static final SubscriberAccess USER = new SubscriberAccess("user-1", null, null, Set.of(), false);

  private SubscriptionFixtures() {}

  /** A patient-level creator whose patient is {@code PATIENT_SYSTEM|patient}. */
  static SubscriberAccess patientScoped(String patient) {
    return new SubscriberAccess(
        "patient-user", PATIENT_SYSTEM + "|" + patient, null, Set.of(), true);
  }

  /**
   * An active audit-event subscription by {@link #USER} with {@code filters}, each {@code
   * name[:modifier]=value}.
   */
  static Subscription subscription(String... filters) {
    return subscription(BuiltInTopics.AUDIT_EVENT, USER, filters);
  }

  static Subscription subscription(String topic, SubscriberAccess access, String... filters) {
    Subscription s = new Subscription();
    s.setStatus(SubscriptionStatusCodes.ACTIVE);
    s.setTopic(topic);
    s.getChannelType()
        .setSystem("http://terminology.hl7.org/CodeSystem/subscription-channel-type")
        .setCode("rest-hook");
    s.setEndpoint("https://receiver.example/hook");
    for (String f : filters) {
      int eq = f.indexOf('=');
      String name = f.substring(0, eq);
      Subscription.SubscriptionFilterByComponent c = s.addFilterBy();
      c.setResourceType("AuditEvent");
      int colon = name.indexOf(':');
      if (colon > 0) {
        c.setModifier(SearchModifierCode.fromCode(name.substring(colon + 1)));
        name = name.substring(0, colon);
      }
      c.setFilterParameter(name).setValue(f.substring(eq + 1));
    }
    access.writeTo(s);
    return s;
  }

  static byte[] json(Subscription s) {
    return Fhir.jsonParser().encodeResourceToString(s).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * A Patient Record read (DCM 110110) by user {@code alice} about {@code patient} (identifier in
   * {@link #PATIENT_SYSTEM}), success, from source {@code EHR-1}, of {@code DocumentReference/d1},
   * for treatment.
   */
  static AuditEvent event(String id, @Nullable String patient) {
    AuditEvent e = new AuditEvent();
    e.setId(id);
    e.addCategory(new CodeableConcept(new Coding(CodeSystems.DCM, "110110", "Patient Record")));
    e.setCode(new CodeableConcept(new Coding(CodeSystems.DCM, "110110", "Patient Record")));
    e.setAction(AuditEvent.AuditEventAction.R);
    e.setRecorded(Date.from(RECORDED));
    e.getOutcome().setCode(new Coding(CodeSystems.AUDIT_EVENT_OUTCOME, "0", "Success"));
    e.addAgent()
        .setWho(new Reference().setIdentifier(new Identifier().setValue("alice")))
        .setRequestor(true);
    if (patient != null) {
      e.setPatient(
          new Reference()
              .setIdentifier(new Identifier().setSystem(PATIENT_SYSTEM).setValue(patient)));
    }
    e.getSource().setObserver(new Reference().setIdentifier(new Identifier().setValue("EHR-1")));
    e.addEntity().setWhat(new Reference("DocumentReference/d1"));
    e.addAuthorization(new CodeableConcept(new Coding(CodeSystems.V3_ACT_REASON, "TREAT", null)));
    return e;
  }

  /**
   * The same shape with every filtered value different: a query (DCM 110112) by {@code bob} about
   * {@code p2}, failed, from {@code EHR-2}, of {@code DocumentReference/d2}, for emergency
   * treatment.
   */
  static AuditEvent other(String id) {
    AuditEvent e = new AuditEvent();
    e.setId(id);
    e.addCategory(new CodeableConcept(new Coding(CodeSystems.DCM, "110112", "Query")));
    e.setCode(new CodeableConcept(new Coding(CodeSystems.DCM, "110112", "Query")));
    e.setAction(AuditEvent.AuditEventAction.E);
    e.setRecorded(Date.from(RECORDED));
    e.getOutcome().setCode(new Coding(CodeSystems.AUDIT_EVENT_OUTCOME, "8", "Serious failure"));
    e.addAgent()
        .setWho(new Reference().setIdentifier(new Identifier().setValue("bob")))
        .setRequestor(true);
    e.setPatient(
        new Reference().setIdentifier(new Identifier().setSystem(PATIENT_SYSTEM).setValue("p2")));
    e.getSource().setObserver(new Reference().setIdentifier(new Identifier().setValue("EHR-2")));
    e.addEntity().setWhat(new Reference("DocumentReference/d2"));
    e.addAuthorization(new CodeableConcept(new Coding(CodeSystems.V3_ACT_REASON, "ETREAT", null)));
    return e;
  }

  /** {@code e} labelled with the v3-Confidentiality {@code code}. */
  static AuditEvent labelled(AuditEvent e, String code) {
    e.getMeta().addSecurity(new Coding(CodeSystems.V3_CONFIDENTIALITY, code, null));
    return e;
  }
}
