package org.atnabridge.allinone;

import java.util.List;
import picocli.CommandLine.Option;

/** The syslog listeners and their TLS (RFC 5425): {@code serve} and {@code ingest}. */
final class SyslogOptions {

  @Option(
      names = "--syslog-host",
      defaultValue = "${env:ATNA_SYSLOG_HOST:-0.0.0.0}",
      description =
          "Address of the syslog listeners (env ATNA_SYSLOG_HOST; default ${DEFAULT-VALUE}).")
  String syslogHost;

  @Option(
      names = "--syslog-port",
      defaultValue = "${env:ATNA_SYSLOG_PORT:-5514}",
      description =
          "Syslog port for TCP (RFC 6587 framing) and UDP (RFC 5426) (env ATNA_SYSLOG_PORT; "
              + "default ${DEFAULT-VALUE}).")
  int syslogPort;

  @Option(
      names = "--syslog-tls-port",
      defaultValue = "${env:ATNA_SYSLOG_TLS_PORT:-6514}",
      description =
          "Syslog TLS port, RFC 5425 (env ATNA_SYSLOG_TLS_PORT; default ${DEFAULT-VALUE}). "
              + "Opened when --tls-cert, --tls-key and --tls-trust are given.")
  int syslogTlsPort;

  @Option(
      names = "--tls-cert",
      defaultValue = "${env:ATNA_TLS_CERT:-}",
      description = "PEM certificate chain of the TLS listener (env ATNA_TLS_CERT).")
  String tlsCert;

  @Option(
      names = "--tls-key",
      defaultValue = "${env:ATNA_TLS_KEY:-}",
      description = "PEM unencrypted PKCS#8 private key of the TLS listener (env ATNA_TLS_KEY).")
  String tlsKey;

  @Option(
      names = "--tls-trust",
      defaultValue = "${env:ATNA_TLS_TRUST:-}",
      description =
          "PEM file or directory of CA certificates client certificates must chain to (env ATNA_TLS_TRUST).")
  String tlsTrust;

  @Option(
      names = "--tls-protocols",
      split = ",",
      defaultValue = "${env:ATNA_TLS_PROTOCOLS:-TLSv1.3,TLSv1.2}",
      description =
          "Enabled TLS versions, comma-separated (env ATNA_TLS_PROTOCOLS; default ${DEFAULT-VALUE}).")
  List<String> tlsProtocols;

  @Option(
      names = "--tls-ciphers",
      defaultValue = "${env:ATNA_TLS_CIPHERS:-}",
      description =
          "Enabled cipher suites (JSSE names), comma-separated; empty = JDK defaults (env ATNA_TLS_CIPHERS).")
  String tlsCiphers;

  @Option(
      names = "--tls-client-auth",
      defaultValue = "${env:ATNA_TLS_CLIENT_AUTH:-require}",
      description =
          "Client certificate: require, optional or none (env ATNA_TLS_CLIENT_AUTH; default ${DEFAULT-VALUE}).")
  String tlsClientAuth;

  @Option(
      names = "--syslog-max-frame",
      defaultValue = "${env:ATNA_SYSLOG_MAX_FRAME:-262144}",
      description =
          "Largest syslog frame in octets; longer ones are cut and their prefix goes to audit.dlq "
              + "(env ATNA_SYSLOG_MAX_FRAME; default ${DEFAULT-VALUE}).")
  int syslogMaxFrame;

  @Option(
      names = "--syslog-idle-timeout",
      defaultValue = "${env:ATNA_SYSLOG_IDLE_TIMEOUT:-300}",
      converter = DurationConverter.OrSeconds.class,
      description =
          "Silence after which a syslog connection is closed: seconds, or a duration such as 5m or PT5M "
              + "(env ATNA_SYSLOG_IDLE_TIMEOUT; default ${DEFAULT-VALUE}).")
  java.time.Duration syslogIdleTimeout;

  @Option(
      names = "--syslog-max-connections",
      defaultValue = "${env:ATNA_SYSLOG_MAX_CONNECTIONS:-4096}",
      description =
          "Open connections per syslog listener (env ATNA_SYSLOG_MAX_CONNECTIONS; default ${DEFAULT-VALUE}).")
  int syslogMaxConnections;

  @Option(
      names = "--syslog-max-connections-per-peer",
      defaultValue = "${env:ATNA_SYSLOG_MAX_CONNECTIONS_PER_PEER:-512}",
      description =
          "Open connections per sender IP address and listener (env ATNA_SYSLOG_MAX_CONNECTIONS_PER_PEER; "
              + "default ${DEFAULT-VALUE}).")
  int syslogMaxConnectionsPerPeer;

  @Option(
      names = "--syslog-udp-buffer",
      defaultValue = "${env:ATNA_SYSLOG_UDP_BUFFER:-4194304}",
      description =
          "UDP receive buffer in octets, capped by net.core.rmem_max (env ATNA_SYSLOG_UDP_BUFFER; "
              + "default ${DEFAULT-VALUE}).")
  int syslogUdpBuffer;

  /** Puts the listeners' addresses, limits and TLS material on {@code config}. */
  PipelineConfig.Builder applyTo(PipelineConfig.Builder config) {
    return config.syslog(syslogHost, syslogPort, syslogTlsPort).ingest(ingest());
  }

  PipelineConfig.Ingest ingest() {
    return new PipelineConfig.Ingest(
        syslogMaxFrame,
        syslogIdleTimeout,
        syslogMaxConnections,
        syslogMaxConnectionsPerPeer,
        syslogUdpBuffer,
        Options.path(tlsCert),
        Options.path(tlsKey),
        Options.path(tlsTrust),
        tlsProtocols.stream().map(String::trim).filter(p -> !p.isEmpty()).toList(),
        Options.list(tlsCiphers),
        tlsClientAuth);
  }
}
