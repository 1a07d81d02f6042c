package org.atnabridge.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ports a test hands to a listener it starts later (a {@code serve} process, a restarted broker, a
 * receiver that comes up after an outage).
 *
 * <p>A port found by binding port 0 and closing it is in the kernel's ephemeral range: the kernel
 * may hand the same port to the next port-0 bind in any process (an embedded broker's controller,
 * another such lookup), and then two listeners meet on one port. CI saw {@code serve}'s Kafka and
 * syslog listeners given the same port that way. So these ports come from below the ephemeral
 * range, where the kernel never assigns on its own; each is handed out once per JVM, and only after
 * a bind shows it free now.
 */
public final class FreePorts {

  private static final int LOWEST = 15_000;
  private static final int HIGHEST_BELOW_EPHEMERAL = ephemeralLow() - 1;
  private static final AtomicInteger NEXT =
      new AtomicInteger(
          LOWEST + ThreadLocalRandom.current().nextInt((HIGHEST_BELOW_EPHEMERAL - LOWEST) / 2));

  private FreePorts() {}

  /** A port on 127.0.0.1 that is free now and that this JVM has not handed out before. */
  public static int next() {
    for (int tries = 0; tries < 1_000; tries++) {
      int port = NEXT.getAndIncrement();
      if (port > HIGHEST_BELOW_EPHEMERAL) {
        throw new IllegalStateException("no free port left below " + HIGHEST_BELOW_EPHEMERAL);
      }
      if (bindable(port)) {
        return port;
      }
    }
    throw new IllegalStateException("no free port found near " + NEXT.get());
  }

  private static boolean bindable(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(false);
      s.bind(new InetSocketAddress("127.0.0.1", port));
      return true;
    } catch (IOException taken) {
      return false;
    }
  }

  /** The low end of Linux's ephemeral range; 32768 (its default) where that cannot be read. */
  private static int ephemeralLow() {
    try {
      String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
      int low = Integer.parseInt(range.split("\\s+")[0]);
      return low > LOWEST + 2_000 ? low : 32_768;
    } catch (IOException | RuntimeException unreadable) {
      return 32_768;
    }
  }
}
