/**
 * PEM certificate and key files (RFC 7468; private keys as unencrypted PKCS#8, RFC 5958), read the
 * same way by every TLS endpoint (syslog over RFC 5425, the HTTPS API) through {@link
 * org.atnabridge.schemas.pem.PemFiles}.
 */
@NullMarked
package org.atnabridge.schemas.pem;

import org.jspecify.annotations.NullMarked;
