/**
 * The FHIR R5 REST API over the audit store (AuditEvent read and search, ITI-81; the FHIR Feed,
 * ITI-20): a HAPI plain {@code RestfulServer} composed in {@link
 * org.atnabridge.search.FhirServerFactory}, served by Jetty 12 ({@link
 * org.atnabridge.search.SearchServer}). Providers hold no storage code; they translate FHIR
 * parameters ({@link org.atnabridge.search.SearchParameterMapper}) and delegate to the store.
 */
@NullMarked
package org.atnabridge.search;

import org.jspecify.annotations.NullMarked;
