package org.atnabridge.allinone;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.atnabridge.allinone.health.HealthCheck;
import org.atnabridge.ingest.AccessLogRouting;
import org.atnabridge.ingest.KafkaRawMessageSink;
import org.atnabridge.ingest.SyslogListener;
import org.atnabridge.ingest.UdpSyslogListener;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code atna-bridge ingest}: the syslog listeners writing each message to {@code atna.raw} (to
 * {@code accesslog.raw}, secrets masked, when its APP-NAME or TAG is one of {@code
 * --access-log-tags}) — TCP (RFC 6587 framing) and UDP (RFC 5426) on {@code --syslog-port}, TLS
 * (RFC 5425) on {@code --syslog-tls-port} when certificates are configured. Closing stops accepting
 * first, then confirms every message already read with Kafka.
 */
final class IngestService implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(IngestService.class);

  private final Parts parts = new Parts();
  private @Nullable SyslogListener tcp;
  private @Nullable UdpSyslogListener udp;
  private @Nullable SyslogListener tls;

  private IngestService() {}

  static IngestService start(PipelineConfig config, String bootstrap, MeterRegistry registry) {
    IngestService service = new IngestService();
    try {
      service.open(config, bootstrap, registry);
      return service;
    } catch (RuntimeException e) {
      service.close();
      throw e;
    }
  }

  private void open(PipelineConfig config, String bootstrap, MeterRegistry registry) {
    PipelineConfig.AccessLogIntake accessLogs = config.accessLogIntake();
    KafkaRawMessageSink sink =
        parts.add(
            new KafkaRawMessageSink(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                registry,
                new AccessLogRouting(accessLogs.tags(), accessLogs.scrub())));
    LOG.info("syslog APP-NAME/TAG {} routed to accesslog.raw", accessLogs.tags());
    PipelineConfig.Ingest ingest = config.ingest();
    String host = config.syslogHost();
    SyslogListener listener =
        parts.add(
            new SyslogListener(ingest.listener(host, config.syslogPort(), false), sink, registry));
    listener.start();
    tcp = listener;
    LOG.info("ready: syslog TCP listener on {}:{} (RFC 6587)", host, listener.tcpPort());
    // UDP on the same port number as TCP (also when --syslog-port 0 picked a free one)
    UdpSyslogListener datagrams =
        parts.add(
            new UdpSyslogListener(
                ingest.listener(host, listener.tcpPort(), false), sink, registry));
    datagrams.start();
    udp = datagrams;
    LOG.info("ready: syslog UDP listener on {}:{} (RFC 5426)", host, datagrams.port());
    if (ingest.tlsEnabled()) {
      SyslogListener secure =
          parts.add(
              new SyslogListener(
                  ingest.listener(host, config.syslogTlsPort(), true), sink, registry));
      secure.start();
      tls = secure;
      LOG.info(
          "ready: syslog TLS listener on {}:{} (RFC 5425, client certificate {})",
          host,
          secure.port(),
          ingest.tlsClientAuth());
    } else {
      LOG.info(
          "syslog TLS listener not started: --tls-cert, --tls-key and --tls-trust are not set");
    }
  }

  /** {@code syslog}: every listener accepts. */
  List<HealthCheck> checks() {
    return List.of(
        new HealthCheck(
            "syslog",
            () -> {
              SyslogListener t = tcp;
              UdpSyslogListener u = udp;
              SyslogListener s = tls;
              boolean up =
                  t != null && t.check() && u != null && u.check() && (s == null || s.check());
              return up ? null : "a syslog listener is not accepting";
            }));
  }

  int tcpPort() {
    return Pipeline.require(tcp, "syslog listener").tcpPort();
  }

  int udpPort() {
    return Pipeline.require(udp, "syslog UDP listener").port();
  }

  int tlsPort() {
    return Pipeline.require(tls, "syslog TLS listener").port();
  }

  @Override
  public void close() {
    parts.close();
    tcp = null;
    udp = null;
    tls = null;
  }
}
