package org.atnabridge.atna.dicom;

import java.util.List;

/**
 * A DICOM PS3.15 A.5.1 / RFC 3881 AuditMessage, read leniently: unknown elements and attributes are
 * ignored.
 *
 * @param event EventIdentification
 * @param participants ActiveParticipant 1..*
 * @param sources AuditSourceIdentification; DICOM allows one, RFC 3881 several, some senders none
 * @param objects ParticipantObjectIdentification 0..*
 */
public record AuditMessage(
    EventIdentification event,
    List<ActiveParticipant> participants,
    List<AuditSourceIdentification> sources,
    List<ParticipantObjectIdentification> objects) {

  public AuditMessage {
    participants = List.copyOf(participants);
    sources = List.copyOf(sources);
    objects = List.copyOf(objects);
  }
}
