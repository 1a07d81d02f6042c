package org.atnabridge.search.feed;

import static org.atnabridge.schemas.vocab.Extensions.NAMESPACE;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.atnabridge.schemas.vocab.CodeSystems;
import org.atnabridge.schemas.vocab.Extensions;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Base;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.Extension;
import org.hl7.fhir.r5.model.Property;
import org.hl7.fhir.r5.model.Reference;

/**
 * What only this repository writes on an AuditEvent, and so what a FHIR Feed client may not post.
 * Such marks are refused (422 naming each element), not removed: the client learns that its event
 * was not stored as sent, and nothing is dropped silently.
 *
 * <ul>
 *   <li>Extensions in this repository's namespace ({@value Extensions#NAMESPACE}), at any depth:
 *       they record how an event was received ({@code raw-receipt}, {@code syslog-header}, {@code
 *       correlation-id}), where it is stored ({@code raw-record}), its place in the hash chain
 *       ({@code chain}) and what enrichment found ({@code network-class}, {@code network-node}).
 *       Closed by default: a new extension of ours is refused until listed as content. Content
 *       extensions — the DICOM fields R5 dropped, which the R4 mapping writes too — are allowed.
 *   <li>{@code meta.tag} codes of our code systems: {@code record-origin} (self-audit), {@code
 *       retention} (legal hold, which exempts an event from retention: an operator's decision),
 *       {@code conversion-flag}, {@code balp-pattern}.
 *   <li>{@code meta.security} labels of the systems enrichment sets (v3-Confidentiality,
 *       v3-ActCode) or of ours: they are computed from reference data and from {@code
 *       entity.securityLabel}, which is where a sender states sensitivity (DICOM
 *       ParticipantObjectSensitivity); a posted one would decide who may see the event. Other
 *       labels (e.g. v3-ActReason {@code HTEST}, "test data", as the IHE BALP examples carry) stay.
 *   <li>{@code source.observer} naming this repository: only its own records (self-audit, Security
 *       Alerts) are observed by it.
 * </ul>
 *
 * {@code meta.source} is not refused but always set by the server ({@link FeedRequests#postedBy}).
 */
public final class ServerOwnedMarks {

  /**
   * Our extensions that carry the audited event's own content (DICOM fidelity), not the server's.
   */
  private static final Set<String> CONTENT_EXTENSIONS =
      Set.of(
          Extensions.PARTICIPANT_OBJECT_TYPE,
          Extensions.PARTICIPANT_OBJECT_ID,
          Extensions.PARTICIPANT_OBJECT_DESCRIPTION,
          Extensions.NETWORK_ACCESS_POINT_TYPE);

  /** The label systems enrichment sets: confidentiality decides who may see an event. */
  private static final Set<String> ENRICHMENT_LABEL_SYSTEMS =
      Set.of(CodeSystems.V3_CONFIDENTIALITY, CodeSystems.V3_ACT_CODE);

  private ServerOwnedMarks() {}

  /**
   * Every server-owned mark in a posted event, located FHIRPath-style.
   *
   * @param repository the name this repository records itself under as observer
   */
  public static List<FeedValidator.Issue> check(AuditEvent event, String repository) {
    List<FeedValidator.Issue> issues = new ArrayList<>();
    if (event.hasMeta()) {
      List<Coding> tags = event.getMeta().getTag();
      for (int i = 0; i < tags.size(); i++) {
        String system = tags.get(i).getSystem();
        if (system != null && system.startsWith(NAMESPACE)) {
          issues.add(
              refused(
                  "AuditEvent.meta.tag[" + i + "]", "tag " + system + "|" + tags.get(i).getCode()));
        }
      }
      List<Coding> labels = event.getMeta().getSecurity();
      for (int i = 0; i < labels.size(); i++) {
        String system = labels.get(i).getSystem();
        if (system != null
            && (ENRICHMENT_LABEL_SYSTEMS.contains(system) || system.startsWith(NAMESPACE))) {
          issues.add(
              refused(
                  "AuditEvent.meta.security[" + i + "]",
                  "security label "
                      + system
                      + "|"
                      + labels.get(i).getCode()
                      + " (state sensitivity in entity.securityLabel)"));
        }
      }
    }
    extensions(event, "AuditEvent", issues);
    if (event.hasSource() && namesRepository(event.getSource().getObserver(), repository)) {
      issues.add(
          refused("AuditEvent.source.observer", "observer " + repository + " (this repository)"));
    }
    return issues;
  }

  private static FeedValidator.Issue refused(String expression, String what) {
    return new FeedValidator.Issue(
        expression,
        what + " is set by this repository only, not by a sender",
        FeedValidator.Issue.Kind.SERVER_OWNED);
  }

  private static void extensions(Base element, String path, List<FeedValidator.Issue> issues) {
    for (Property property : element.children()) {
      if (!property.hasValues()) {
        continue;
      }
      List<Base> values = property.getValues();
      for (int i = 0; i < values.size(); i++) {
        Base value = values.get(i);
        String at = path + "." + property.getName().replace("[x]", "") + "[" + i + "]";
        if (value instanceof Extension ext
            && ext.getUrl() != null
            && ext.getUrl().startsWith(NAMESPACE)
            && !CONTENT_EXTENSIONS.contains(ext.getUrl())) {
          issues.add(refused(at, "extension " + ext.getUrl()));
          continue; // its sub-extensions go with it
        }
        extensions(value, at, issues);
      }
    }
  }

  private static boolean namesRepository(Reference observer, String repository) {
    return same(observer.getDisplay(), repository)
        || observer.hasIdentifier() && same(observer.getIdentifier().getValue(), repository);
  }

  private static boolean same(String value, String repository) {
    return value != null
        && value.strip().toLowerCase(Locale.ROOT).equals(repository.toLowerCase(Locale.ROOT));
  }
}
