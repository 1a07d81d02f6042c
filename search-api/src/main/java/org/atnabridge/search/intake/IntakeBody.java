package org.atnabridge.search.intake;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a request body whole, never holding more than the limit: the octets on the wire count
 * against it, and so do the decoded octets of a gzip body (RFC 9110 §8.4.1.3), so that a small
 * compressed body that inflates past the limit (a gzip bomb) is refused like a large one.
 */
final class IntakeBody {

  /** The body, compressed or decoded, is larger than the limit. */
  static final class TooLargeException extends Exception {
    private static final long serialVersionUID = 1L;

    TooLargeException() {
      super(null, null, false, false);
    }
  }

  /** The body says gzip but is not (RFC 1952). */
  static final class BadEncodingException extends Exception {
    private static final long serialVersionUID = 1L;

    BadEncodingException() {
      super(null, null, false, false);
    }
  }

  private IntakeBody() {}

  /**
   * @param gzip the body has {@code Content-Encoding: gzip}
   * @return the decoded body, at most {@code maxBytes} octets
   */
  static byte[] read(InputStream in, boolean gzip, long maxBytes)
      throws IOException, TooLargeException, BadEncodingException {
    byte[] wire = bounded(in, maxBytes);
    if (!gzip) {
      return wire;
    }
    try (InputStream decoded = new GZIPInputStream(new ByteArrayInputStream(wire), 8192)) {
      return bounded(decoded, maxBytes);
    } catch (ZipException | java.io.EOFException e) {
      throw new BadEncodingException();
    }
  }

  private static byte[] bounded(InputStream in, long maxBytes)
      throws IOException, TooLargeException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    byte[] chunk = new byte[8192];
    for (int n; (n = in.read(chunk)) >= 0; ) {
      if (out.size() + (long) n > maxBytes) {
        throw new TooLargeException();
      }
      out.write(chunk, 0, n);
    }
    return out.toByteArray();
  }
}
