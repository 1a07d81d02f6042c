package org.atnabridge.ingest.netty;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Datagrams the Linux kernel dropped on the UDP sockets bound to one local port: the {@code drops}
 * column of {@code /proc/net/udp} and {@code /proc/net/udp6} (receive buffer full). Read at each
 * metrics scrape; 0 where {@code /proc} is not available.
 */
public final class UdpKernelDrops {

  private static final List<Path> TABLES =
      List.of(Path.of("/proc/net/udp"), Path.of("/proc/net/udp6"));

  private final String portHex;

  public UdpKernelDrops(int port) {
    this.portHex = String.format(Locale.ROOT, ":%04X", port);
  }

  public double read() {
    long drops = 0;
    for (Path table : TABLES) {
      try {
        List<String> lines = Files.readAllLines(table);
        for (int i = 1; i < lines.size(); i++) {
          String[] f = lines.get(i).trim().split("\\s+");
          // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ref pointer
          // drops
          if (f.length >= 13 && f[1].endsWith(portHex)) {
            drops += Long.parseLong(f[12]);
          }
        }
      } catch (IOException | RuntimeException e) {
        // not Linux, or the table changed shape: report what was read
      }
    }
    return drops;
  }
}
