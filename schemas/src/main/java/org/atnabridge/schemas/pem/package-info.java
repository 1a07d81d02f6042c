/** PEM certificate and key files, read the same way by every TLS endpoint (syslog, HTTP API). */
@NullMarked
package org.atnabridge.schemas.pem;

import org.jspecify.annotations.NullMarked;
