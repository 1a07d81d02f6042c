package org.atnabridge.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ListenerConfigTest {

  @Test
  void defaults_allInterfaces256KibFiveMinutes() {
    ListenerConfig config = ListenerConfig.defaults(5514);

    assertThat(config.bindHost()).isEqualTo("0.0.0.0");
    assertThat(config.port()).isEqualTo(5514);
    assertThat(config.maxFrameLength()).isEqualTo(256 * 1024);
    assertThat(config.idleTimeout()).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void constructor_rejectsBadValuesNamingTheField() {
    Duration idle = Duration.ofMinutes(1);
    assertThatThrownBy(() -> new ListenerConfig(" ", 0, 1024, idle))
        .hasMessageContaining("bindHost");
    assertThatThrownBy(() -> new ListenerConfig("::", 65_536, 1024, idle))
        .hasMessageContaining("port");
    assertThatThrownBy(() -> new ListenerConfig("::", -1, 1024, idle)).hasMessageContaining("port");
    assertThatThrownBy(() -> new ListenerConfig("::", 0, 479, idle))
        .hasMessageContaining("maxFrameLength");
    assertThatThrownBy(() -> new ListenerConfig("::", 0, 10_000_000, idle))
        .hasMessageContaining("maxFrameLength");
    assertThatThrownBy(() -> new ListenerConfig("::", 0, 1024, Duration.ZERO))
        .hasMessageContaining("idleTimeout");
    ListenerConfig ok = new ListenerConfig("::", 0, 1024, idle);
    assertThatThrownBy(() -> ok.withConnectionLimits(0, 1)).hasMessageContaining("maxConnections");
    assertThatThrownBy(() -> ok.withConnectionLimits(1, 0))
        .hasMessageContaining("maxConnectionsPerPeer");
    assertThatThrownBy(() -> ok.withUdpReceiveBuffer(1000))
        .hasMessageContaining("udpReceiveBuffer");
  }

  @Test
  void rawMessage_toStringOmitsPayload() {
    RawMessage m =
        new RawMessage(
            "<85>1 secret".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
            "tcp",
            "127.0.0.1",
            1,
            java.time.Instant.EPOCH,
            "syslog-tcp:1",
            "octet-counting",
            null);

    assertThat(m.toString()).contains("12 octets").doesNotContain("secret");
    assertThat(m.peer()).isEqualTo("127.0.0.1:1");
    assertThat(
            new RawMessage(
                    new byte[0],
                    "udp",
                    "::1",
                    7,
                    java.time.Instant.EPOCH,
                    "syslog-udp:1",
                    "datagram",
                    null)
                .peer())
        .isEqualTo("[::1]:7");
  }
}
