package org.atnabridge.ingest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.atnabridge.ingest.Harness.containing;
import static org.atnabridge.ingest.Harness.on;
import static org.atnabridge.ingest.Harness.text;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.atnabridge.ingest.netty.ListenerMetrics;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.schemas.RawHeaders;
import org.atnabridge.schemas.Topics;
import org.atnabridge.testing.KafkaBrokerExtension;
import org.atnabridge.testing.TestPki;
import org.atnabridge.testing.TestVectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every transport with the real clients ATNA senders use: util-linux {@code logger} (UDP, TCP octet
 * counting, TCP newline framing), syslog-ng's {@code loggen} (TCP and TLS, generated load and
 * {@code --read-file} with the ATNA test vectors) and {@code openssl s_client} (mutual TLS with,
 * without and with an untrusted client certificate; protocol versions). Certificates are generated
 * by {@link TestPki} per run.
 */
@ExtendWith(KafkaBrokerExtension.class)
class RealClientsIT {

  private static final String LOGGER = "/usr/bin/logger";
  private static final String LOGGEN = "/usr/bin/loggen";
  private static final Duration T = Duration.ofSeconds(120);
  private static final Pattern SEQ = Pattern.compile("seq: (\\d{10}), thread: \\d+, runid: (\\d+)");

  @TempDir static Path tmp;
  private static final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private static TestPki certs;
  private static KafkaRawMessageSink sink;
  private static SyslogListener tcp;
  private static UdpSyslogListener udp;
  private static SyslogListener tls;
  private static SyslogListener tlsServerAuthOnly;
  private static SyslogListener tls13Only;
  private static Harness kafka;

  @BeforeAll
  static void start(EmbeddedKafkaBroker broker) throws Exception {
    KafkaBrokerExtension.createTopics(broker, Topics.newTopics((short) 1));
    certs = TestPki.create(tmp.resolve("pki"));
    sink =
        new KafkaRawMessageSink(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()), registry);
    ListenerConfig base =
        new ListenerConfig(
            "127.0.0.1", 0, ListenerConfig.DEFAULT_MAX_FRAME_LENGTH, Duration.ofMinutes(1));
    tcp = new SyslogListener(base, sink, registry).start();
    udp = new UdpSyslogListener(base.withPort(tcp.port()), sink, registry).start();
    tls = new SyslogListener(base.withTls(mutual()), sink, registry).start();
    // loggen cannot present a client certificate: server authentication only
    tlsServerAuthOnly =
        new SyslogListener(
                base.withTls(mutual().withClientAuth(TlsConfig.ClientAuth.NONE)), sink, registry)
            .start();
    tls13Only =
        new SyslogListener(base.withTls(mutual().withProtocols(List.of("TLSv1.3"))), sink, registry)
            .start();
    kafka = new Harness(broker.bootstrapServers(), Topics.ATNA_RAW.name(), Topics.AUDIT_DLQ.name());
  }

  @AfterAll
  static void stop() {
    Stream.of(tcp, udp, tls, tlsServerAuthOnly, tls13Only)
        .filter(l -> l != null)
        .forEach(IntakeListener::close);
    if (sink != null) {
      sink.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void logger_udp_oneRecordPerDatagram() throws Exception {
    String marker = "udp-" + UUID.randomUUID();
    String out =
        Harness.run(
            T,
            LOGGER,
            "--udp",
            "--rfc5424",
            "-n",
            "127.0.0.1",
            "-P",
            Integer.toString(udp.port()),
            "-t",
            "atna",
            "--msgid",
            "IHE+RFC-3881",
            "<AuditMessage>" + marker + "</AuditMessage>");
    assertThat(out).endsWith("exit=0");

    ConsumerRecord<byte[], byte[]> r =
        kafka.await(on(Topics.ATNA_RAW.name(), udp.id()).and(containing(marker)));
    assertThat(text(r)).startsWith("<13>1 ").contains(" atna ").contains(" IHE+RFC-3881 ");
    assertThat(RawHeaders.get(r.headers(), RawHeaders.TRANSPORT)).isEqualTo("udp");
    assertThat(RawHeaders.get(r.headers(), RawHeaders.FRAMING)).isEqualTo("datagram");
    assertThat(new String(r.key(), UTF_8)).isEqualTo("127.0.0.1");
    assertThat(RawHeaders.get(r.headers(), RawHeaders.PEER)).startsWith("127.0.0.1:");
  }

  @Test
  void logger_tcpOctetCounting() throws Exception {
    String marker = "octet-" + UUID.randomUUID();
    assertThat(
            Harness.run(
                T,
                LOGGER,
                "--tcp",
                "--octet-count",
                "--rfc5424",
                "-n",
                "127.0.0.1",
                "-P",
                Integer.toString(tcp.port()),
                "-t",
                "atna",
                marker))
        .endsWith("exit=0");

    ConsumerRecord<byte[], byte[]> r =
        kafka.await(on(Topics.ATNA_RAW.name(), tcp.id()).and(containing(marker)));
    assertThat(text(r)).startsWith("<13>1 ").endsWith(marker);
    assertThat(RawHeaders.get(r.headers(), RawHeaders.FRAMING)).isEqualTo("octet-counting");
    assertThat(RawHeaders.get(r.headers(), RawHeaders.TRANSPORT)).isEqualTo("tcp");
  }

  @Test
  void logger_tcpNewlineFraming() throws Exception {
    String marker = "newline-" + UUID.randomUUID();
    assertThat(
            Harness.run(
                T,
                LOGGER,
                "--tcp",
                "--rfc5424",
                "-n",
                "127.0.0.1",
                "-P",
                Integer.toString(tcp.port()),
                "-t",
                "atna",
                marker))
        .endsWith("exit=0");

    ConsumerRecord<byte[], byte[]> r =
        kafka.await(on(Topics.ATNA_RAW.name(), tcp.id()).and(containing(marker)));
    assertThat(text(r)).startsWith("<13>1 ").endsWith(marker);
    assertThat(RawHeaders.get(r.headers(), RawHeaders.FRAMING)).isEqualTo("non-transparent");
  }

  @Test
  void loggen_tcp_everyGeneratedMessageOnce() throws Exception {
    int n = 2000;
    String out =
        Harness.run(
            T,
            LOGGEN,
            "-S",
            "-P",
            "-n",
            Integer.toString(n),
            "-s",
            "1024",
            "127.0.0.1",
            Integer.toString(tcp.port()));
    assertThat(out).contains("count=" + n).endsWith("exit=0");

    assertLoggenRun(tcp, n);
  }

  @Test
  void loggen_tls_everyGeneratedMessageOnce() throws Exception {
    int n = 2000;
    String out =
        Harness.run(
            T,
            LOGGEN,
            "-U",
            "-P",
            "-n",
            Integer.toString(n),
            "-s",
            "1024",
            "127.0.0.1",
            Integer.toString(tlsServerAuthOnly.port()));
    assertThat(out).contains("count=" + n).endsWith("exit=0");

    List<ConsumerRecord<byte[], byte[]>> records = assertLoggenRun(tlsServerAuthOnly, n);
    assertThat(RawHeaders.get(records.getFirst().headers(), RawHeaders.TRANSPORT)).isEqualTo("tls");
  }

  @Test
  void loggen_readFile_atnaVectorsOverTcpArriveByteForByte() throws Exception {
    List<String> lines = atnaLines("tcp");
    Path file = Harness.writeLines(tmp.resolve("atna-tcp.txt"), lines);
    assertThat(
            Harness.run(
                T,
                LOGGEN,
                "-S",
                "-d",
                "-R",
                file.toString(),
                "127.0.0.1",
                Integer.toString(tcp.port())))
        .contains("count=" + lines.size());

    assertLinesArrived(tcp, lines);
  }

  @Test
  void loggen_readFile_atnaVectorsOverTlsArriveByteForByte() throws Exception {
    List<String> lines = atnaLines("tls");
    Path file = Harness.writeLines(tmp.resolve("atna-tls.txt"), lines);
    assertThat(
            Harness.run(
                T,
                LOGGEN,
                "-U",
                "-d",
                "-R",
                file.toString(),
                "127.0.0.1",
                Integer.toString(tlsServerAuthOnly.port())))
        .contains("count=" + lines.size());

    assertLinesArrived(tlsServerAuthOnly, lines);
  }

  @Test
  void opensslClient_withTrustedCertificate_subjectRecorded() throws Exception {
    String marker = "mtls-" + UUID.randomUUID();
    String out =
        sClient(
            tls,
            marker,
            "-cert",
            certs.clientCert().toString(),
            "-key",
            certs.clientKey().toString());

    ConsumerRecord<byte[], byte[]> r =
        kafka.await(on(Topics.ATNA_RAW.name(), tls.id()).and(containing(marker)));
    assertThat(RawHeaders.get(r.headers(), RawHeaders.PEER_CERT_SUBJECT))
        .as(out)
        .isEqualTo(TestPki.CLIENT_SUBJECT);
    assertThat(RawHeaders.get(r.headers(), RawHeaders.TRANSPORT)).isEqualTo("tls");
    assertThat(RawHeaders.get(r.headers(), RawHeaders.FRAMING)).isEqualTo("octet-counting");
  }

  @Test
  void opensslClient_tls12_acceptedWhenEnabled() throws Exception {
    String marker = "tls12-" + UUID.randomUUID();
    String out =
        sClient(
            tls,
            marker,
            "-tls1_2",
            "-cert",
            certs.clientCert().toString(),
            "-key",
            certs.clientKey().toString());

    ConsumerRecord<byte[], byte[]> r =
        kafka.await(on(Topics.ATNA_RAW.name(), tls.id()).and(containing(marker)));
    assertThat(RawHeaders.get(r.headers(), RawHeaders.PEER_CERT_SUBJECT))
        .as(out)
        .isEqualTo(TestPki.CLIENT_SUBJECT);
  }

  @Test
  void opensslClient_tls12_refusedWhenOnlyTls13Enabled() throws Exception {
    double before = handshakeFailures(tls13Only);
    String marker = "tls12-refused-" + UUID.randomUUID();
    sClient(
        tls13Only,
        marker,
        "-tls1_2",
        "-cert",
        certs.clientCert().toString(),
        "-key",
        certs.clientKey().toString());

    assertRefused(tls13Only, marker, before);
  }

  @Test
  void opensslClient_withoutCertificate_refusedInHandshakeAndCounted() throws Exception {
    double before = handshakeFailures(tls);
    String marker = "nocert-" + UUID.randomUUID();
    sClient(tls, marker);

    assertRefused(tls, marker, before);
  }

  @Test
  void opensslClient_untrustedCertificate_refusedInHandshakeAndCounted() throws Exception {
    double before = handshakeFailures(tls);
    String marker = "rogue-" + UUID.randomUUID();
    sClient(
        tls, marker, "-cert", certs.rogueCert().toString(), "-key", certs.rogueKey().toString());

    assertRefused(tls, marker, before);
  }

  private void assertRefused(SyslogListener listener, String marker, double failuresBefore) {
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> handshakeFailures(listener) == failuresBefore + 1);
    assertThat(
            kafka.settle(
                on(Topics.ATNA_RAW.name(), listener.id()).and(containing(marker)),
                Duration.ofSeconds(3)))
        .as("nothing from a refused peer reaches atna.raw")
        .isEmpty();
    assertThat(listener.check()).isTrue();
  }

  private static double handshakeFailures(SyslogListener listener) {
    return registry
        .get(ListenerMetrics.TLS_HANDSHAKE_FAILURES)
        .tag("listener", listener.id())
        .counter()
        .count();
  }

  private static TlsConfig mutual() {
    return TlsConfig.mutual(certs.serverCert(), certs.serverKey(), certs.ca());
  }

  /** Sends one octet-counted message through {@code openssl s_client}; closes on end of input. */
  private static String sClient(SyslogListener listener, String marker, String... extra)
      throws Exception {
    byte[] body =
        ("<85>1 2025-04-18T09:04:00.603Z node-a atna - IHE+RFC-3881 - <AuditMessage>"
                + marker
                + "</AuditMessage>")
            .getBytes(UTF_8);
    byte[] frame = (body.length + " " + new String(body, UTF_8)).getBytes(UTF_8);
    List<String> command =
        new ArrayList<>(
            List.of(
                TestPki.OPENSSL,
                "s_client",
                "-connect",
                "127.0.0.1:" + listener.port(),
                "-CAfile",
                certs.ca().toString(),
                "-verify_return_error",
                "-quiet",
                "-no_ign_eof"));
    command.addAll(List.of(extra));
    return Harness.run(T, frame, command.toArray(String[]::new));
  }

  /**
   * loggen's messages carry {@code seq: NNNNNNNNNN} and one runid: all n sequence numbers, each
   * once.
   */
  private static List<ConsumerRecord<byte[], byte[]>> assertLoggenRun(
      SyslogListener listener, int n) {
    List<ConsumerRecord<byte[], byte[]>> records =
        kafka.awaitCount(on(Topics.ATNA_RAW.name(), listener.id()).and(containing("seq: ")), n);
    records =
        kafka.settle(
            on(Topics.ATNA_RAW.name(), listener.id()).and(containing("seq: ")),
            Duration.ofSeconds(2));
    Set<String> runs = new TreeSet<>();
    Set<Integer> seqs = new TreeSet<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      Matcher m = SEQ.matcher(text(r));
      assertThat(m.find()).as(text(r)).isTrue();
      runs.add(m.group(2));
      assertThat(seqs.add(Integer.parseInt(m.group(1)))).as("duplicate seq " + m.group(1)).isTrue();
      assertThat(r.value().length).as("loggen -s 1024 message size").isEqualTo(1024);
    }
    assertThat(runs).hasSize(1);
    assertThat(seqs).hasSize(n).first().isEqualTo(0);
    assertThat(records).hasSize(n);
    return records;
  }

  private static void assertLinesArrived(SyslogListener listener, List<String> lines) {
    for (String line : lines) {
      ConsumerRecord<byte[], byte[]> r =
          kafka.await(
              r2 ->
                  r2.topic().equals(Topics.ATNA_RAW.name())
                      && listener.id().equals(RawHeaders.get(r2.headers(), RawHeaders.LISTENER))
                      && java.util.Arrays.equals(r2.value(), line.getBytes(UTF_8)));
      assertThat(RawHeaders.get(r.headers(), RawHeaders.FRAMING)).isEqualTo("non-transparent");
    }
  }

  /**
   * One RFC 5424 line per ATNA vector (DICOM and RFC 3881 XML, line breaks inside the XML removed
   * because loggen sends one line per message), hostname unique per run.
   */
  private static List<String> atnaLines(String run) throws IOException {
    List<String> lines = new ArrayList<>();
    List<Path> vectors = new ArrayList<>();
    for (String dir : List.of("dicom-audit-xml", "rfc3881-legacy-xml")) {
      try (Stream<Path> files = Files.list(TestVectors.root().resolve(dir))) {
        files.filter(p -> p.toString().endsWith(".xml")).sorted().forEach(vectors::add);
      }
    }
    String id = run + "-" + UUID.randomUUID().toString().substring(0, 8);
    int i = 0;
    for (Path v : vectors) {
      String xml = Files.readString(v, UTF_8).replaceAll("\\r?\\n\\s*", " ").strip();
      lines.add(
          "<85>1 2025-04-18T09:04:00.603Z vector-"
              + id
              + "-"
              + (i++)
              + " atna - IHE+RFC-3881 - "
              + xml);
    }
    byte[] framed = TestVectors.bytes("syslog-framed/ahdis-iti-47-atna-raw.txt");
    String frame = new String(framed, UTF_8);
    lines.add(
        frame.substring(frame.indexOf(' ') + 1).strip().replace("matchbox.test", "ahdis-" + id));
    assertThat(lines).hasSizeGreaterThan(20);
    return lines;
  }
}
