package org.atnabridge.atna.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.atnabridge.atna.syslog.SyslogRecord.SdParam;
import org.junit.jupiter.api.Test;

class SyslogHeaderParserTest {

  private static final Instant RECEIVED = Instant.parse("2025-01-02T03:04:05Z");

  private static SyslogRecord parse(String frame) {
    return SyslogHeaderParser.parse(frame.getBytes(StandardCharsets.UTF_8), RECEIVED);
  }

  private static String msg(String frame) {
    byte[] b = frame.getBytes(StandardCharsets.UTF_8);
    SyslogRecord r = SyslogHeaderParser.parse(b, RECEIVED);
    return new String(b, r.msgOffset(), b.length - r.msgOffset(), StandardCharsets.UTF_8);
  }

  @Test
  void parse_rfc5424Header() {
    String frame =
        "<85>1 2025-04-18T09:04:00.603Z matchbox.test java 9293 IHE+RFC-3881 - <?xml version=\"1.0\"?><AuditMessage/>";
    SyslogRecord r = parse(frame);

    assertThat(r.format()).isEqualTo(SyslogFormat.RFC5424);
    assertThat(r.facility()).isEqualTo(10);
    assertThat(r.severity()).isEqualTo(5);
    assertThat(r.timestamp()).isEqualTo(OffsetDateTime.parse("2025-04-18T09:04:00.603Z"));
    assertThat(r.hostname()).isEqualTo("matchbox.test");
    assertThat(r.appName()).isEqualTo("java");
    assertThat(r.procId()).isEqualTo("9293");
    assertThat(r.msgId()).isEqualTo("IHE+RFC-3881");
    assertThat(r.rawStructuredData()).isNull();
    assertThat(r.flags()).isEmpty();
    assertThat(msg(frame)).isEqualTo("<?xml version=\"1.0\"?><AuditMessage/>");
  }

  @Test
  void parse_rfc5424WithBomBeforeMsg() {
    String frame = "<85>1 2025-04-18T09:04:00Z host app - - - \uFEFF<AuditMessage/>";
    SyslogRecord r = parse(frame);

    assertThat(r.flags()).containsExactly(SyslogFlag.BOM);
    assertThat(msg(frame)).isEqualTo("<AuditMessage/>");
  }

  @Test
  void parse_nilValues() {
    SyslogRecord r = parse("<84>1 - - - - - - <AuditMessage/>");

    assertThat(r.severity()).isEqualTo(4);
    assertThat(r.rawTimestamp()).isNull();
    assertThat(r.timestamp()).isNull();
    assertThat(r.hostname()).isNull();
    assertThat(r.appName()).isNull();
    assertThat(r.procId()).isNull();
    assertThat(r.msgId()).isNull();
    assertThat(r.flags()).isEmpty();
  }

  @Test
  void parse_structuredDataWithEscapes() {
    String frame =
        "<165>1 2003-10-11T22:14:15.003Z host app - ID47 [exampleSDID@32473 iut=\"3\" eventSource=\"Appl \\\"x\\\" \\] \\\\ \\n\"][meta seq=\"1\"] <AuditMessage/>";
    SyslogRecord r = parse(frame);

    assertThat(r.structuredData()).hasSize(2);
    assertThat(r.structuredData().get(0).id()).isEqualTo("exampleSDID@32473");
    assertThat(r.structuredData().get(0).params())
        .containsExactly(
            new SdParam("iut", "3"), new SdParam("eventSource", "Appl \"x\" ] \\ \\n"));
    assertThat(r.structuredData().get(1).params()).containsExactly(new SdParam("seq", "1"));
    assertThat(r.rawStructuredData()).startsWith("[exampleSDID@32473").endsWith("[meta seq=\"1\"]");
    assertThat(msg(frame)).isEqualTo("<AuditMessage/>");
  }

  @Test
  void parse_fractionalSecondsAndOffset() {
    SyslogRecord r = parse("<85>1 2003-08-24T05:14:15.000003-07:00 h a p m - <x/>");

    assertThat(r.timestamp()).isEqualTo(OffsetDateTime.parse("2003-08-24T05:14:15.000003-07:00"));
    assertThat(r.timestamp().getNano()).isEqualTo(3000);
  }

  @Test
  void parse_invalidTimestampFlaggedNotRejected() {
    String frame = "<85>1 2025-04-18T09:15:22.603Z1 host - - IHE+RFC-3881 - <AuditMessage/>";
    SyslogRecord r = parse("<85>1 2025-04-18T15:22.603Z host - - IHE+RFC-3881 - <AuditMessage/>");

    assertThat(r.format()).isEqualTo(SyslogFormat.RFC5424);
    assertThat(r.rawTimestamp()).isEqualTo("2025-04-18T15:22.603Z");
    assertThat(r.timestamp()).isNull();
    assertThat(r.flags()).contains(SyslogFlag.TIMESTAMP_INVALID);
    assertThat(r.hostname()).isEqualTo("host");
    assertThat(parse(frame).flags()).contains(SyslogFlag.TIMESTAMP_INVALID);
  }

  @Test
  void parse_crlfBetweenSdAndXmlIsLeftForThePayload() {
    String frame =
        "<85>1 2025-04-18T09:04:00Z host app - - -\r\n<?xml version=\"1.0\"?><AuditMessage/>";
    SyslogRecord r = parse(frame);

    assertThat(r.format()).isEqualTo(SyslogFormat.RFC5424);
    assertThat(msg(frame).strip()).startsWith("<?xml");
  }

  @Test
  void parse_rfc3164Header() {
    String frame = "<38>Oct  9 22:14:15 mymachine su[123]: <AuditMessage/>";
    SyslogRecord r = parse(frame);

    assertThat(r.format()).isEqualTo(SyslogFormat.RFC3164);
    assertThat(r.facility()).isEqualTo(4);
    assertThat(r.severity()).isEqualTo(6);
    assertThat(r.rawTimestamp()).isEqualTo("Oct  9 22:14:15");
    // October is after the January receive date: it belongs to the previous year
    assertThat(r.timestamp()).isEqualTo(OffsetDateTime.parse("2024-10-09T22:14:15Z"));
    assertThat(r.hostname()).isEqualTo("mymachine");
    assertThat(r.appName()).isEqualTo("su");
    assertThat(r.procId()).isEqualTo("123");
    assertThat(r.flags()).contains(SyslogFlag.YEAR_ASSUMED, SyslogFlag.ZONE_ASSUMED);
    assertThat(msg(frame)).isEqualTo("<AuditMessage/>");
  }

  @Test
  void parse_rfc3164SameYear() {
    SyslogRecord r = parse("<13>Jan  2 01:00:00 host tag: <x/>");

    assertThat(r.timestamp()).isEqualTo(OffsetDateTime.parse("2025-01-02T01:00:00Z"));
    assertThat(r.appName()).isEqualTo("tag");
  }

  @Test
  void parse_bareXml() {
    for (String frame :
        new String[] {
          "<?xml version=\"1.0\"?><AuditMessage/>", "<AuditMessage/>", "\uFEFF<AuditMessage/>"
        }) {
      SyslogRecord r = parse(frame);
      assertThat(r.format()).as(frame).isEqualTo(SyslogFormat.NONE);
      assertThat(r.severity()).isNull();
      assertThat(msg(frame)).as(frame).startsWith("<");
    }
  }

  @Test
  void parse_priOnly() {
    String frame = "<85><AuditMessage/>";
    SyslogRecord r = parse(frame);

    assertThat(r.format()).isEqualTo(SyslogFormat.PRI_ONLY);
    assertThat(r.severity()).isEqualTo(5);
    assertThat(msg(frame)).isEqualTo("<AuditMessage/>");
  }

  @Test
  void parse_priOutOfRangeFlagged() {
    assertThat(parse("<192>1 - - - - - - <x/>").flags()).contains(SyslogFlag.PRI_INVALID);
    assertThat(parse("<05>1 - - - - - - <x/>").flags()).contains(SyslogFlag.PRI_INVALID);
  }

  @Test
  void parse_brokenStructuredDataFlagged() {
    String frame = "<85>1 - h a p m [id x=\"unterminated <AuditMessage/>";
    SyslogRecord r = parse(frame);

    assertThat(r.flags()).contains(SyslogFlag.STRUCTURED_DATA_INVALID);
    assertThat(msg(frame)).isEqualTo("<AuditMessage/>");
  }
}
