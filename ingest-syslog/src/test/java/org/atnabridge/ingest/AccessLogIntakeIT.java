package org.atnabridge.ingest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.atnabridge.ingest.Harness.containing;
import static org.atnabridge.ingest.Harness.on;
import static org.atnabridge.ingest.Harness.text;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.schemas.DeadLetterHeaders;
import org.atnabridge.schemas.RawHeaders;
import org.atnabridge.schemas.Topics;
import org.atnabridge.schemas.scrub.LineScrubber;
import org.atnabridge.testing.KafkaBrokerExtension;
import org.atnabridge.testing.TestVectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * HTTP access log lines over syslog, sent by util-linux {@code logger} the way nginx's {@code
 * access_log syslog:} and Apache's piped logger send them: frames whose APP-NAME or TAG is an
 * access log tag land on {@code accesslog.raw} with their secrets masked (also when dead-lettered),
 * everything else stays on {@code atna.raw} byte for byte.
 */
@ExtendWith(KafkaBrokerExtension.class)
class AccessLogIntakeIT {

  private static final String LOGGER = "/usr/bin/logger";
  private static final Duration T = Duration.ofSeconds(120);
  private static final String ACCESSLOG = Topics.ACCESSLOG_RAW.name();
  private static final String ATNA = Topics.ATNA_RAW.name();
  private static final String DLQ = Topics.AUDIT_DLQ.name();
  private static final String MASK = LineScrubber.MASK;

  private static final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private static KafkaRawMessageSink sink;
  private static SyslogListener tcp;
  private static UdpSyslogListener udp;
  private static SyslogListener smallFrames;
  private static Harness kafka;

  @BeforeAll
  static void start(EmbeddedKafkaBroker broker) {
    KafkaBrokerExtension.createTopics(broker, Topics.newTopics((short) 1));
    sink =
        new KafkaRawMessageSink(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
            registry,
            AccessLogRouting.defaults());
    ListenerConfig base =
        new ListenerConfig(
            "127.0.0.1", 0, ListenerConfig.DEFAULT_MAX_FRAME_LENGTH, Duration.ofMinutes(1));
    tcp = new SyslogListener(base, sink, registry).start();
    udp = new UdpSyslogListener(base.withPort(tcp.port()), sink, registry).start();
    smallFrames =
        new SyslogListener(
                new ListenerConfig(
                    "127.0.0.1", 0, ListenerConfig.MIN_FRAME_LENGTH, Duration.ofMinutes(1)),
                sink,
                registry)
            .start();
    kafka = new Harness(broker.bootstrapServers(), ATNA, ACCESSLOG, DLQ);
  }

  @AfterAll
  static void stop() {
    Stream.of(tcp, udp, smallFrames).filter(l -> l != null).forEach(IntakeListener::close);
    if (sink != null) {
      sink.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void nginxRfc3164OverUdp_landsOnAccessLogRaw_masked() throws Exception {
    String secret = secret();
    String line = combined("/fhir/Patient?name=x&access_token=" + secret + "&code=" + secret);
    double scrubbedBefore = scrubbed();

    assertThat(
            Harness.run(
                T,
                LOGGER,
                "--udp",
                "--rfc3164",
                "-p",
                "local7.info",
                "-n",
                "127.0.0.1",
                "-P",
                Integer.toString(udp.port()),
                "-t",
                "nginx",
                line))
        .endsWith("exit=0");

    ConsumerRecord<byte[], byte[]> r = kafka.await(on(ACCESSLOG, udp.id()).and(containing("GET")));
    String masked = line.replace(secret, MASK);
    // RFC 3164 §4.1: <PRI>Mmm dd hh:mm:ss HOSTNAME TAG: MSG, only the values masked
    assertThat(text(r))
        .matches("<190>[A-Z][a-z]{2} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d \\S+ nginx: " + quote(masked));
    assertHeaders(r, "udp", udp.id(), "datagram", "nginx");
    assertThat(scrubbed() - scrubbedBefore).isEqualTo(2);
    assertNowhere(secret);
  }

  @Test
  void httpdRfc5424OverTcp_landsOnAccessLogRaw_masked() throws Exception {
    String secret = secret();
    String line = combined("/fhir/Observation?patient=p1&access_token=" + secret);
    double scrubbedBefore = scrubbed();

    assertThat(
            Harness.run(
                T,
                LOGGER,
                "--rfc5424",
                "-T",
                "-n",
                "127.0.0.1",
                "-P",
                Integer.toString(tcp.port()),
                "-t",
                "httpd",
                line))
        .endsWith("exit=0");

    ConsumerRecord<byte[], byte[]> r = kafka.await(on(ACCESSLOG, tcp.id()).and(containing("GET")));
    // RFC 5424 §6: <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD MSG
    assertThat(text(r))
        .startsWith("<13>1 ")
        .contains(" httpd ")
        .endsWith(line.replace(secret, MASK));
    assertHeaders(r, "tcp", tcp.id(), "non-transparent", "httpd");
    assertThat(scrubbed() - scrubbedBefore).isEqualTo(1);
    assertThat(
            registry.get(KafkaRawMessageSink.SEND_LATENCY).tag("topic", ACCESSLOG).timer().count())
        .isPositive();
    assertNowhere(secret);
  }

  @Test
  void atnaMessage_staysOnAtnaRaw_byteForByte() throws Exception {
    // an RFC 6587 octet-counted ITI-47 audit message
    byte[] framed = TestVectors.bytes("syslog-framed/ahdis-iti-47-atna-raw.txt");
    String marker = "atna-" + UUID.randomUUID();
    String text = new String(framed, UTF_8);
    String frame = text.substring(text.indexOf(' ') + 1).strip().replace("matchbox.test", marker);
    byte[] body = frame.getBytes(UTF_8);
    try (Socket socket = new Socket("127.0.0.1", tcp.port())) {
      OutputStream out = socket.getOutputStream();
      out.write((body.length + " ").getBytes(UTF_8));
      out.write(body);
      out.flush();
    }

    ConsumerRecord<byte[], byte[]> r = kafka.await(on(ATNA, tcp.id()).and(containing(marker)));
    assertThat(r.value()).isEqualTo(body);
    assertThat(RawHeaders.get(r.headers(), RawHeaders.ACCESS_LOG_SOURCE)).isNull();
    assertThat(kafka.received.stream().filter(on(ACCESSLOG, tcp.id()).and(containing(marker))))
        .isEmpty();
  }

  @Test
  void otherTag_staysOnAtnaRaw_unscrubbed() throws Exception {
    String token = "not-an-access-log-" + UUID.randomUUID();
    String line = combined("/fhir/Patient?access_token=" + token);
    double scrubbedBefore = scrubbed();

    assertThat(
            Harness.run(
                T,
                LOGGER,
                "--udp",
                "--rfc3164",
                "-n",
                "127.0.0.1",
                "-P",
                Integer.toString(udp.port()),
                "-t",
                "myapp",
                line))
        .endsWith("exit=0");

    ConsumerRecord<byte[], byte[]> r = kafka.await(on(ATNA, udp.id()).and(containing(token)));
    assertThat(text(r)).contains(" myapp: ").endsWith(line);
    assertThat(RawHeaders.get(r.headers(), RawHeaders.ACCESS_LOG_SOURCE)).isNull();
    assertThat(scrubbed()).isEqualTo(scrubbedBefore);
    assertThat(kafka.received.stream().filter(on(ACCESSLOG, udp.id()).and(containing(token))))
        .isEmpty();
  }

  @Test
  void oversizeAccessLogFrame_deadLettered_masked() throws Exception {
    String secret = secret();
    String marker = "oversize-" + UUID.randomUUID();
    String line =
        combined("/fhir/Patient?access_token=" + secret + "&name=" + marker + "x".repeat(1200));
    double scrubbedBefore = scrubbed();

    assertThat(
            Harness.run(
                T,
                LOGGER,
                "--rfc5424",
                "-T",
                "--octet-count",
                "--size",
                "4096",
                "-n",
                "127.0.0.1",
                "-P",
                Integer.toString(smallFrames.port()),
                "-t",
                "nginx",
                line))
        .endsWith("exit=0");

    ConsumerRecord<byte[], byte[]> r =
        kafka.await(on(DLQ, smallFrames.id()).and(containing(marker)));
    assertThat(RawHeaders.get(r.headers(), DeadLetterHeaders.REASON))
        .isEqualTo(DeadLetterHeaders.FRAME_TOO_LARGE);
    assertThat(RawHeaders.get(r.headers(), RawHeaders.ACCESS_LOG_SOURCE)).isEqualTo("nginx");
    assertThat(text(r)).startsWith("<13>1 ").contains("access_token=" + MASK + "&name=" + marker);
    assertThat(scrubbed() - scrubbedBefore).isEqualTo(1);
    assertNowhere(secret);
  }

  private static void assertHeaders(
      ConsumerRecord<byte[], byte[]> r,
      String transport,
      String listener,
      String framing,
      String source) {
    assertThat(new String(r.key(), UTF_8)).isEqualTo("127.0.0.1");
    assertThat(RawHeaders.get(r.headers(), RawHeaders.TRANSPORT)).isEqualTo(transport);
    assertThat(RawHeaders.get(r.headers(), RawHeaders.PEER)).matches("127\\.0\\.0\\.1:\\d+");
    assertThat(RawHeaders.get(r.headers(), RawHeaders.RECEIVED_AT))
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");
    assertThat(RawHeaders.get(r.headers(), RawHeaders.LISTENER)).isEqualTo(listener);
    assertThat(RawHeaders.get(r.headers(), RawHeaders.FRAMING)).isEqualTo(framing);
    assertThat(RawHeaders.get(r.headers(), RawHeaders.ACCESS_LOG_SOURCE)).isEqualTo(source);
  }

  /** The secret is in no record of atna.raw, accesslog.raw or audit.dlq, value or header. */
  private static void assertNowhere(String secret) {
    List<ConsumerRecord<byte[], byte[]>> all = kafka.settle(r -> true, Duration.ofSeconds(1));
    assertThat(all).isNotEmpty();
    byte[] needle = secret.getBytes(UTF_8);
    for (ConsumerRecord<byte[], byte[]> r : all) {
      assertThat(contains(r.value(), needle)).as("%s value", r.topic()).isFalse();
      r.headers()
          .forEach(h -> assertThat(contains(h.value(), needle)).as("%s header", h.key()).isFalse());
    }
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
        return true;
      }
    }
    return false;
  }

  private static double scrubbed() {
    return registry.get(AccessLogRouting.SCRUBBED).tag("intake", "syslog").counter().count();
  }

  private static String secret() {
    return "s3cr3t" + UUID.randomUUID().toString().replace("-", "");
  }

  /** An nginx/Apache {@code combined} line (the default format of both). */
  private static String combined(String target) {
    return "10.1.2.3 - alice [06/Dec/2026:17:00:00 +0000] \"GET "
        + target
        + " HTTP/1.1\" 200 512 \"-\" \"curl/8.5\"";
  }

  private static String quote(String s) {
    return Pattern.quote(s);
  }
}
