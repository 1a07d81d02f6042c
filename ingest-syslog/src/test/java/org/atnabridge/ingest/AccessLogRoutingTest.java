package org.atnabridge.ingest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.atnabridge.schemas.Topics;
import org.junit.jupiter.api.Test;

/** Which topic a frame goes to, masked how, with the default and with configured settings. */
class AccessLogRoutingTest {

  private static final String LINE =
      "10.0.0.1 - - [06/Dec/2026:17:00:00 +0000] \"GET /fhir/Patient?access_token=t0k&Code=c0d"
          + " HTTP/1.1\" 200 5 \"-\" \"-\"";

  @Test
  void accessLogTag_goesToAccessLogRaw_asAMaskedCopy() {
    RawMessage in = message("<190>Dec  6 17:00:00 web-1 nginx: " + LINE);
    byte[] original = in.payload().clone();

    AccessLogRouting.Route route = AccessLogRouting.defaults().route(in);

    assertThat(route.topic()).isEqualTo(Topics.ACCESSLOG_RAW.name());
    assertThat(route.accessLogSource()).isEqualTo("nginx");
    assertThat(route.masked()).isEqualTo(2);
    assertThat(new String(route.message().payload(), UTF_8))
        .isEqualTo(
            "<190>Dec  6 17:00:00 web-1 nginx: "
                + LINE.replace("t0k", "REDACTED").replace("c0d", "REDACTED"));
    assertThat(route.message().peer()).isEqualTo(in.peer());
    assertThat(route.message().listener()).isEqualTo(in.listener());
    assertThat(in.payload()).as("the received message is not changed").isEqualTo(original);
  }

  @Test
  void accessLogTag_withoutSecrets_isTheMessageItself() {
    RawMessage in = message("<190>1 - host envoy - - - GET / 200");
    AccessLogRouting.Route route = AccessLogRouting.defaults().route(in);
    assertThat(route.accessLogSource()).isEqualTo("envoy");
    assertThat(route.masked()).isZero();
    assertThat(route.message()).isSameAs(in);
  }

  @Test
  void otherTags_stayOnAtnaRaw_unscrubbed() {
    for (String frame :
        List.of(
            "<85>1 2025-04-18T09:04:00.603Z node-a atna - IHE+RFC-3881 - " + LINE,
            "<190>Dec  6 17:00:00 web-1 Nginx: " + LINE,
            LINE)) {
      RawMessage in = message(frame);
      AccessLogRouting.Route route = AccessLogRouting.defaults().route(in);
      assertThat(route.topic()).as(frame).isEqualTo(Topics.ATNA_RAW.name());
      assertThat(route.accessLogSource()).isNull();
      assertThat(route.message()).isSameAs(in);
    }
  }

  @Test
  void configuredTagsAndNames_replaceTheDefaults() {
    AccessLogRouting routing = new AccessLogRouting(List.of("myweb"), List.of("sessionid"));
    assertThat(routing.route(message("<190>Dec  6 17:00:00 h nginx: " + LINE)).topic())
        .isEqualTo(Topics.ATNA_RAW.name());
    AccessLogRouting.Route route =
        routing.route(message("<190>Dec  6 17:00:00 h myweb: GET /x?sessionid=s&access_token=t"));
    assertThat(route.accessLogSource()).isEqualTo("myweb");
    assertThat(new String(route.message().payload(), UTF_8))
        .endsWith("?sessionid=REDACTED&access_token=t");
  }

  @Test
  void noTags_routesNothing() {
    AccessLogRouting routing = new AccessLogRouting(List.of(), List.of("access_token"));
    assertThat(routing.route(message("<190>Dec  6 17:00:00 h nginx: " + LINE)).topic())
        .isEqualTo(Topics.ATNA_RAW.name());
  }

  private static RawMessage message(String frame) {
    return new RawMessage(
        frame.getBytes(UTF_8),
        "udp",
        "127.0.0.1",
        40000,
        Instant.EPOCH,
        "syslog-udp:5514",
        "datagram",
        null);
  }
}
