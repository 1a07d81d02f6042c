package org.atnabridge.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.hl7.fhir.r5.model.AuditEvent;

/** Test lines and a converter; {@code combined(...)} writes one nginx {@code combined} line. */
final class Lines {

  static final AccessLogConverter CONVERTER = new AccessLogConverter();
  static final LineOrigin ORIGIN =
      new LineOrigin("gw.example.org", "192.0.2.9:514", Instant.parse("2026-12-01T10:00:00Z"));
  static final AccessLogSource COMBINED = AccessLogSource.defaults();

  private Lines() {}

  static String combined(String method, String target, int status) {
    return combined("198.51.100.7", "-", method, target, status);
  }

  static String combined(String addr, String user, String method, String target, int status) {
    return addr
        + " - "
        + user
        + " [01/Dec/2026:09:59:58 +0100] \""
        + method
        + " "
        + target
        + " HTTP/1.1\" "
        + status
        + " 512 \"-\" \"curl/8.5.0\"";
  }

  static AccessLogConversion convert(String line) {
    return CONVERTER.convert(line, COMBINED, ORIGIN);
  }

  static AccessLogConversion convert(String line, AccessLogSource source) {
    return CONVERTER.convert(line, source, ORIGIN);
  }

  static List<AuditEvent> events(String line) {
    return events(line, COMBINED);
  }

  static List<AuditEvent> events(String line, AccessLogSource source) {
    AccessLogConversion c = convert(line, source);
    assertThat(c).as(line).isInstanceOf(AccessLogConversion.Converted.class);
    return ((AccessLogConversion.Converted) c).events();
  }

  static AuditEvent event(String line) {
    List<AuditEvent> events = events(line);
    assertThat(events).hasSize(1);
    return events.get(0);
  }

  static AccessLogSource source(AccessLogFormat format) {
    return AccessLogSource.defaults(format);
  }
}
