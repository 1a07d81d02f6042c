package org.atnabridge.allinone;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Sends syslog frames the way an ATNA secure node does: RFC 5424 over TCP with octet counting. */
final class AtnaTraffic {

  private AtnaTraffic() {}

  /**
   * An RFC 5424 message as IHE ITI-20 specifies it: PRI 85, MSGID IHE+RFC-3881, SD nil, XML as MSG.
   */
  static byte[] syslog5424(byte[] xml) {
    byte[] header =
        "<85>1 2026-11-27T10:00:00.123Z node1.example.org atna-test 42 IHE+RFC-3881 - "
            .getBytes(StandardCharsets.US_ASCII);
    byte[] msg = new byte[header.length + xml.length];
    System.arraycopy(header, 0, msg, 0, header.length);
    System.arraycopy(xml, 0, msg, header.length, xml.length);
    return msg;
  }

  /** Sends each message as one octet-counted frame (RFC 6587 §3.4.1) on one connection. */
  static void sendOctetCounted(int port, byte[]... messages) {
    try (Socket socket = new Socket("127.0.0.1", port);
        OutputStream out = socket.getOutputStream()) {
      for (byte[] m : messages) {
        out.write((m.length + " ").getBytes(StandardCharsets.US_ASCII));
        out.write(m);
      }
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
