/**
 * Masking secret query values (OAuth tokens, codes, passwords, API keys) in what intakes store and
 * converters read: shared by the syslog and HTTP intakes and the access log converter.
 */
@NullMarked
package org.atnabridge.schemas.scrub;

import org.jspecify.annotations.NullMarked;
