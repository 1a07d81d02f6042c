/**
 * Syslog header reading: RFC 5424 (with structured data, NILVALUE fields, BOM before MSG), RFC 3164
 * BSD headers (year and zone inferred from the receive time), and bare payloads with no header
 * (ITI-20: the ARR accepts any message). The parser never rejects a frame; see {@link
 * org.atnabridge.atna.syslog.SyslogFlag} for what it tolerates.
 */
@NullMarked
package org.atnabridge.atna.syslog;

import org.jspecify.annotations.NullMarked;
