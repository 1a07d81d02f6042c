package org.atnabridge.search.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.search.ListenerSettings;
import org.atnabridge.testing.KafkaBrokerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API listener against clients that hold connections (an attack held 800 for 32 s by trickling
 * headers): a header that does not complete in time is cut however steadily it trickles, and
 * connections over the per-address limit are closed. No timing is asserted beyond "closed within a
 * generous bound".
 */
@ExtendWith(KafkaBrokerExtension.class)
class ApiListenerIT {

  private static final Duration GENEROUS = Duration.ofSeconds(30);

  @Test
  void aClientTricklingItsHeader_isCut_andOthersAreStillServed(
      EmbeddedKafkaBroker kafka, @TempDir Path dir) throws Exception {
    // the idle timeout (60 s) would never cut it: a byte comes every 100 ms
    ListenerSettings limits =
        new ListenerSettings(Duration.ofSeconds(60), Duration.ofSeconds(1), 100, 50);
    try (SecuredApi api =
            SecuredApi.start(
                kafka, dir, new TestIssuer().settings(), List.of(), s -> s.listener(limits));
        Socket slow = connect(api)) {
      OutputStream out = slow.getOutputStream();
      out.write(
          "GET /fhir/metadata HTTP/1.1\r\nHost: localhost\r\nX-Slow: "
              .getBytes(StandardCharsets.US_ASCII));
      slow.setSoTimeout(100);
      long deadline = System.nanoTime() + GENEROUS.toNanos();
      boolean closed = false;
      while (!closed && System.nanoTime() < deadline) {
        try {
          out.write('a');
          out.flush();
          closed = slow.getInputStream().read() < 0;
        } catch (SocketTimeoutException stillOpen) {
          // no answer yet: trickle on
        } catch (IOException reset) {
          closed = true;
        }
      }
      assertThat(closed).as("cut within " + GENEROUS).isTrue();
      assertThat(api.server().connectionsCut()).isPositive();
      assertThat(metadataStatus(api)).isEqualTo(200);
    }
  }

  @Test
  void connectionsOverThePerAddressLimit_areClosed_andAFreedSlotIsUsableAgain(
      EmbeddedKafkaBroker kafka, @TempDir Path dir) throws Exception {
    ListenerSettings limits =
        new ListenerSettings(Duration.ofSeconds(60), Duration.ofSeconds(60), 100, 3);
    try (SecuredApi api =
        SecuredApi.start(
            kafka, dir, new TestIssuer().settings(), List.of(), s -> s.listener(limits))) {
      List<Socket> held = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          held.add(connect(api));
        }
        await().atMost(GENEROUS).until(() -> openConnections(api) == 3);
        try (Socket fourth = connect(api)) {
          fourth.setSoTimeout((int) GENEROUS.toMillis());
          assertThat(readUntilClosed(fourth.getInputStream()))
              .as("the 4th connection is closed unanswered")
              .isTrue();
        }
        assertThat(api.server().connectionsRefused()).isPositive();
      } finally {
        for (Socket s : held) {
          s.close();
        }
      }
      // the held ones are gone: a new connection is served
      await()
          .atMost(GENEROUS)
          .untilAsserted(
              () ->
                  assertThat(metadataStatus(api))
                      .as("open: " + openConnections(api))
                      .isEqualTo(200));
    }
  }

  private static long openConnections(SecuredApi api) {
    return api.server().connectionsOpen();
  }

  private static Socket connect(SecuredApi api) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", api.server().port()), 10_000);
    return s;
  }

  private static boolean readUntilClosed(InputStream in) throws IOException {
    try {
      return in.read() < 0;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }

  private static int metadataStatus(SecuredApi api) {
    return RawHttp.exchange(
            api.server().port(),
            "GET /fhir/metadata HTTP/1.1\r\nHost: localhost\r\n" + "Connection: close\r\n\r\n")
        .status();
  }
}
