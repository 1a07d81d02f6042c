/**
 * Reports over the audit trail: the patient access report ({@code Patient/$access-report}, the
 * accounting of disclosures a privacy officer hands to a patient), the user activity report ({@code
 * $user-activity-report}: what one user did) and dashboard counts ({@code AuditEvent/$stats}). They
 * read only through the {@link org.atnabridge.store.AuditEventSearch} the server was built with, so
 * any restriction on what a caller may see applies to them too.
 */
@NullMarked
package org.atnabridge.search.report;

import org.jspecify.annotations.NullMarked;
