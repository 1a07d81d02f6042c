package org.atnabridge.streams.enrich;

import static org.atnabridge.schemas.vocab.CodeSystems.V3_CONFIDENTIALITY;
import static org.atnabridge.schemas.vocab.Extensions.NETWORK_CLASS;
import static org.atnabridge.schemas.vocab.Extensions.NETWORK_NODE;
import static org.atnabridge.streams.reference.ReferenceResources.CONFIDENTIALITY_CODES;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.atnabridge.schemas.vocab.Extensions;
import org.atnabridge.streams.reference.ReferenceResources;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.CodeType;
import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.Reference;
import org.hl7.fhir.r5.model.Resource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enriches and labels one AuditEvent in place from the reference data known now. Pure apart from
 * the lookups; never removes anything: original identifiers, displays and references stay, only
 * missing {@code reference}/{@code display} values are filled in.
 *
 * <ul>
 *   <li>{@code agent.who}: identifier value → people → {@code reference}, {@code display};
 *   <li>{@code agent.network[x]} (IP literal, optionally in brackets, or host name) → nodes →
 *       extension {@value Extensions#NETWORK_NODE} (valueReference), and for IP literals extension
 *       {@value Extensions#NETWORK_CLASS} (valueCode {@code internal} when inside a configured
 *       CIDR, else {@code external});
 *   <li>{@code source.observer}: identifier value (AuditSourceID) → nodes;
 *   <li>{@code patient} and every {@code entity.what}: identifier {@code system|value} → patients,
 *       always system and value together: an identifier without a system, or a reference record
 *       keyed by a bare value or not carrying that identifier, is never matched (a value is only
 *       unique within its assigning authority, HL7 v2 CX-4; the same value in another system is
 *       another patient). Such reference records are ignored with a WARN;
 *   <li>{@code meta.security} (labels): the v3-Confidentiality and v3-ActCode labels of every
 *       patient found, plus the confidentiality codes of {@code entity.securityLabel} (codings of
 *       v3-Confidentiality, or an uncoded/system-less code or text U, L, M, N, R or V — DICOM
 *       ParticipantObjectSensitivity is free text). Each distinct (system, code) is added once.
 * </ul>
 */
public final class AuditEventEnricher {

  private static final Logger LOG = LoggerFactory.getLogger(AuditEventEnricher.class);

  /**
   * Each ignored reference key is logged once; beyond this many the rest are not (no log flood).
   */
  private static final int MAX_WARNED = 1000;

  private final List<Cidr> internal;
  private final Set<String> warned = ConcurrentHashMap.newKeySet();

  public AuditEventEnricher(EnrichmentConfig config) {
    this.internal = config.internalNetworks();
  }

  public AuditEvent enrich(AuditEvent event, ReferenceLookup refs) {
    Map<String, Coding> labels = new LinkedHashMap<>();
    for (AuditEvent.AuditEventAgentComponent agent : event.getAgent()) {
      Reference who = agent.getWho();
      if (who.hasIdentifier() && who.getIdentifier().hasValue()) {
        fill(who, refs.person(who.getIdentifier().getValue()));
      }
      String address =
          agent.hasNetworkStringType()
              ? agent.getNetworkStringType().getValue()
              : agent.hasNetworkUriType() ? agent.getNetworkUriType().getValue() : null;
      if (address != null && !address.isBlank()) {
        network(agent, address);
        String bare =
            address.startsWith("[") && address.endsWith("]")
                ? address.substring(1, address.length() - 1)
                : address;
        Resource node = refs.node(bare);
        if (node != null && agent.getExtensionByUrl(NETWORK_NODE) == null) {
          agent.addExtension(
              NETWORK_NODE,
              new Reference(ReferenceResources.reference(node))
                  .setDisplay(ReferenceResources.display(node)));
        }
      }
    }
    Reference observer = event.getSource().getObserver();
    if (observer.hasIdentifier() && observer.getIdentifier().hasValue()) {
      fill(observer, refs.node(observer.getIdentifier().getValue()));
    }
    if (event.hasPatient()) {
      patient(event.getPatient(), refs, labels);
    }
    for (AuditEvent.AuditEventEntityComponent entity : event.getEntity()) {
      if (entity.hasWhat()) {
        patient(entity.getWhat(), refs, labels);
      }
      for (CodeableConcept label : entity.getSecurityLabel()) {
        entityLabel(label, labels);
      }
    }
    for (Coding c : labels.values()) {
      if (!hasSecurity(event, c)) {
        event.getMeta().addSecurity(c);
      }
    }
    return event;
  }

  private void network(AuditEvent.AuditEventAgentComponent agent, String address) {
    InetAddress ip = Cidr.literal(address);
    if (ip == null || agent.getExtensionByUrl(NETWORK_CLASS) != null) {
      return;
    }
    boolean in = internal.stream().anyMatch(c -> c.contains(ip));
    agent.addExtension(NETWORK_CLASS, new CodeType(in ? "internal" : "external"));
  }

  private void patient(Reference ref, ReferenceLookup refs, Map<String, Coding> labels) {
    if (!ref.hasIdentifier()
        || !ref.getIdentifier().hasValue()
        || !ref.getIdentifier().hasSystem()) {
      return;
    }
    Identifier id = ref.getIdentifier();
    String key = ReferenceResources.patientKey(id.getSystem(), id.getValue());
    Resource patient = refs.patient(key);
    if (patient == null) {
      if (refs.patient(id.getValue()) != null) {
        warnOnce(id.getValue(), "is keyed by an identifier value without a system");
      }
      return;
    }
    if (!ReferenceResources.hasIdentifier(patient, id.getSystem(), id.getValue())) {
      warnOnce(key, "holds a Patient without the identifier " + key);
      return;
    }
    fill(ref, patient);
    for (Coding c : ReferenceResources.patientLabels(patient)) {
      labels.putIfAbsent(c.getSystem() + "|" + c.getCode(), c);
    }
  }

  private void warnOnce(String key, String problem) {
    if (warned.size() < MAX_WARNED && warned.add(key)) {
      LOG.warn(
          "reference.patients record {} {}: ignored, a patient is matched on system and value together;"
              + " load it again with its identifier system",
          printable(key),
          problem);
    }
  }

  /**
   * Quoted, control characters escaped, at most 200 characters: the key came from a sender's
   * message.
   */
  static String printable(String s) {
    StringBuilder out = new StringBuilder("\"");
    s.codePoints()
        .limit(200)
        .forEach(
            c -> {
              if (Character.isISOControl(c)
                  || c == 0x2028
                  || c == 0x2029
                  || c == '"'
                  || c == '\\') {
                out.append(String.format("\\u%04x", c));
              } else {
                out.appendCodePoint(c);
              }
            });
    return out.append(s.length() > 200 ? "…\"" : "\"").toString();
  }

  private static void entityLabel(CodeableConcept label, Map<String, Coding> labels) {
    List<String> candidates = new ArrayList<>();
    for (Coding c : label.getCoding()) {
      if (V3_CONFIDENTIALITY.equals(c.getSystem()) || !c.hasSystem()) {
        candidates.add(c.getCode());
      }
    }
    if (label.hasText()) {
      candidates.add(label.getText().trim());
    }
    for (String code : candidates) {
      if (code != null && CONFIDENTIALITY_CODES.contains(code)) {
        labels.putIfAbsent(
            V3_CONFIDENTIALITY + "|" + code, new Coding(V3_CONFIDENTIALITY, code, null));
      }
    }
  }

  private static void fill(Reference target, @Nullable Resource found) {
    if (found == null) {
      return;
    }
    String reference = ReferenceResources.reference(found);
    if (!target.hasReference() && reference != null) {
      target.setReference(reference);
    }
    String display = ReferenceResources.display(found);
    if (!target.hasDisplay() && display != null) {
      target.setDisplay(display);
    }
  }

  private static boolean hasSecurity(AuditEvent event, Coding c) {
    return event.getMeta().getSecurity().stream()
        .anyMatch(s -> c.getSystem().equals(s.getSystem()) && c.getCode().equals(s.getCode()));
  }
}
