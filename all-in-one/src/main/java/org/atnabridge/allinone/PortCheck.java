package org.atnabridge.allinone;

import java.io.IOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * The ports a command will open, each tried before anything starts: a port another process holds
 * stops the command at once with one line naming the port, what it is for and the option and
 * environment variable that move it (exit code 2), instead of a failure deep inside the broker or
 * the HTTP server after the other parts started. Port 0 (any free port) is not checked.
 */
final class PortCheck {

  /**
   * A port the command binds: {@code what} it serves and the option and variable that choose it.
   */
  record Port(String host, int port, boolean udp, String what, String option, String env) {}

  /** The port {@link #verify()} found taken; the message is the line the user reads. */
  static final class PortInUseException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    PortInUseException(String message) {
      super(message);
    }
  }

  private final List<Port> ports = new ArrayList<>();

  PortCheck tcp(String host, int port, String what, String option, String env) {
    ports.add(new Port(host, port, false, what, option, env));
    return this;
  }

  PortCheck udp(String host, int port, String what, String option, String env) {
    ports.add(new Port(host, port, true, what, option, env));
    return this;
  }

  List<Port> ports() {
    return List.copyOf(ports);
  }

  /**
   * {@code serve}: the embedded broker (unless external), the FHIR server and the syslog listeners.
   */
  static PortCheck serve(PipelineConfig config) {
    PortCheck check = new PortCheck();
    if (config.kafkaBootstrap() == null) {
      check.tcp(
          "127.0.0.1", config.kafkaPort(), "embedded Kafka", "--kafka-port", "ATNA_KAFKA_PORT");
    }
    return check.http(config).syslog(config);
  }

  /** {@code ingest}: the syslog listeners and {@code --health-port}. */
  static PortCheck ingest(PipelineConfig config, HealthPortOptions health) {
    return new PortCheck().syslog(config).health(health);
  }

  /** {@code ingest --ingest-http-port}: the HTTP access log intake, when on. */
  PortCheck ingestHttp(IngestHttpOptions http) {
    if (!http.enabled()) {
      return this;
    }
    return tcp(
        http.host,
        http.port,
        "HTTP access log intake",
        "--ingest-http-port",
        "ATNA_INGEST_HTTP_PORT");
  }

  /** {@code streams} and {@code indexer}: {@code --health-port}. */
  static PortCheck healthOnly(HealthPortOptions health) {
    return new PortCheck().health(health);
  }

  /** {@code api}: the FHIR server. */
  static PortCheck api(PipelineConfig config) {
    return new PortCheck().http(config);
  }

  private PortCheck http(PipelineConfig config) {
    return tcp(
        config.httpHost(),
        config.httpPort(),
        "FHIR server and health",
        "--http-port",
        "ATNA_HTTP_PORT");
  }

  private PortCheck syslog(PipelineConfig config) {
    String host = config.syslogHost();
    tcp(host, config.syslogPort(), "syslog TCP", "--syslog-port", "ATNA_SYSLOG_PORT");
    udp(host, config.syslogPort(), "syslog UDP", "--syslog-port", "ATNA_SYSLOG_PORT");
    if (config.ingest().tlsEnabled()) {
      tcp(host, config.syslogTlsPort(), "syslog TLS", "--syslog-tls-port", "ATNA_SYSLOG_TLS_PORT");
    }
    return this;
  }

  private PortCheck health(HealthPortOptions health) {
    return tcp(
        health.healthHost,
        health.healthPort,
        "health and metrics",
        "--health-port",
        "ATNA_HEALTH_PORT");
  }

  /**
   * Opens and closes each port in turn.
   *
   * @throws PortInUseException for the first port that cannot be opened
   */
  void verify() {
    for (Port p : ports) {
      if (p.port() == 0) {
        continue;
      }
      InetSocketAddress address = new InetSocketAddress(p.host(), p.port());
      try {
        if (p.udp()) {
          try (DatagramSocket s = new DatagramSocket(null)) {
            s.bind(address);
          }
        } else {
          try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true); // as the servers do: a port left in TIME_WAIT is free
            s.bind(address);
          }
        }
      } catch (BindException e) {
        String why =
            e.getMessage() != null && e.getMessage().contains("in use")
                ? "is in use"
                : "cannot be opened (" + e.getMessage() + ")";
        throw new PortInUseException(
            "port "
                + p.port()
                + " ("
                + p.what()
                + ") "
                + why
                + ": choose another with "
                + p.option()
                + " or "
                + p.env());
      } catch (IOException | RuntimeException e) {
        throw new PortInUseException(
            "port "
                + p.port()
                + " ("
                + p.what()
                + ") on "
                + p.host()
                + " cannot be opened ("
                + e.getMessage()
                + "): choose another with "
                + p.option()
                + " or "
                + p.env());
      }
    }
  }
}
