/**
 * Access control of the FHIR API (SMART App Launch v2 scopes, RFC 6750, FHIR security page): bearer
 * JWTs validated on every request ({@link AuthenticationFilter}, {@link TokenValidator}), SMART
 * v2/v1 scopes checked per interaction ({@link ScopeInterceptor}), and what a caller may see
 * enforced below every provider by {@link SecuredAuditEventSearch} (patient compartment, label
 * clearance). Denials are audited as DICOM Security Alerts. {@link LocalIssuer} is the embedded
 * default's token issuer.
 */
@NullMarked
package org.atnabridge.search.security;

import org.jspecify.annotations.NullMarked;
