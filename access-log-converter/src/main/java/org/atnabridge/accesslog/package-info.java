/**
 * HTTP access log lines → IHE BALP RESTful FHIR R5 AuditEvents, without I/O. {@link
 * org.atnabridge.accesslog.AccessLogConverter} is the entry point: one line and its {@link
 * org.atnabridge.accesslog.AccessLogSource} in, an {@link
 * org.atnabridge.accesslog.AccessLogConversion} out (converted events, dropped by a rule, or failed
 * with a typed reason; input never makes it throw).
 */
@NullMarked
package org.atnabridge.accesslog;

import org.jspecify.annotations.NullMarked;
