/**
 * The officers' web console, served at {@code /} next to the FHIR API: sign-in by a one-time link
 * of the local issuer or through an external OpenID Connect provider ({@link OidcSignIn}: the
 * authorization code flow with PKCE), the session cookie the API accepts as a bearer token, and the
 * static pages (plain ES modules) that call only the public FHIR API.
 */
@NullMarked
package org.atnabridge.search.console;

import org.jspecify.annotations.NullMarked;
