/**
 * The repository audits its own use (IHE ITI-20 "Audit-Log-Used", BALP Read and Query patterns):
 * every read and search of the audit trail becomes an AuditEvent written to {@code audit.posted}
 * (the API's intake; audit-streams moves it to {@code audit.events}) before the response leaves. No
 * audit, no access: if the record cannot be made durable the request fails with 503 instead of
 * serving data silently.
 */
@NullMarked
package org.atnabridge.search.selfaudit;

import org.jspecify.annotations.NullMarked;
