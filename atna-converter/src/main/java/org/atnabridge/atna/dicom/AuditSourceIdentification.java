package org.atnabridge.atna.dicom;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * DICOM PS3.15 A.5 AuditSourceIdentification.
 *
 * @param auditSourceId AuditSourceID
 * @param enterpriseSiteId AuditEnterpriseSiteID
 * @param typeCodes AuditSourceTypeCode 0..* (element with {@code csd-code}/{@code code}, element
 *     text, or attribute)
 */
public record AuditSourceIdentification(
    String auditSourceId, @Nullable String enterpriseSiteId, List<CodedValue> typeCodes) {

  public AuditSourceIdentification {
    typeCodes = List.copyOf(typeCodes);
  }
}
