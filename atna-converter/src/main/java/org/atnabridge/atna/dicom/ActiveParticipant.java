package org.atnabridge.atna.dicom;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * DICOM PS3.15 A.5 ActiveParticipant.
 *
 * @param userId UserID (may be empty in real messages)
 * @param alternativeUserId AlternativeUserID (often a process id or AE title)
 * @param userName UserName
 * @param userIsRequestor UserIsRequestor; null when absent (RFC 3881 default is true) or not a
 *     boolean
 * @param networkAccessPointId NetworkAccessPointID
 * @param networkAccessPointTypeCode NetworkAccessPointTypeCode (1..5)
 * @param roleIdCodes RoleIDCode 0..*
 * @param mediaType MediaIdentifier/MediaType (or a bare MediaType as in dcm4che), null when absent
 */
public record ActiveParticipant(
    String userId,
    @Nullable String alternativeUserId,
    @Nullable String userName,
    @Nullable Boolean userIsRequestor,
    @Nullable String networkAccessPointId,
    @Nullable String networkAccessPointTypeCode,
    List<CodedValue> roleIdCodes,
    @Nullable CodedValue mediaType) {

  public ActiveParticipant {
    roleIdCodes = List.copyOf(roleIdCodes);
  }
}
