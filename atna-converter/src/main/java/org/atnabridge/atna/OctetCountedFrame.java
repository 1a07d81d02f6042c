package org.atnabridge.atna;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Removes the octet-counting prefix of RFC 5425 §4.3 / RFC 6587 §3.4.1: {@code SYSLOG-FRAME =
 * MSG-LEN SP SYSLOG-MSG}, {@code MSG-LEN = NONZERO-DIGIT *DIGIT}. Listeners normally strip the
 * prefix themselves; this helper is for captured frames (files, tests).
 */
public final class OctetCountedFrame {

  /** MSG-LEN digits accepted; 10 digits already exceed any sane frame. */
  private static final int MAX_DIGITS = 10;

  private OctetCountedFrame() {}

  /**
   * Returns the SYSLOG-MSG of a single frame.
   *
   * @throws ConversionException {@link ConversionFailure#BAD_FRAME} when the prefix is missing or
   *     not numeric, or MSG-LEN does not equal the number of octets that follow it
   */
  public static byte[] strip(byte[] frame) throws ConversionException {
    int i = 0;
    while (i < frame.length && i <= MAX_DIGITS && frame[i] >= '0' && frame[i] <= '9') {
      i++;
    }
    if (i == 0 || i > MAX_DIGITS || frame[0] == '0' || i >= frame.length || frame[i] != ' ') {
      throw new ConversionException(
          ConversionFailure.BAD_FRAME,
          "frame does not start with MSG-LEN SP (RFC 5425 octet counting)");
    }
    long declared = Long.parseLong(new String(frame, 0, i, StandardCharsets.US_ASCII));
    int actual = frame.length - i - 1;
    if (declared != actual) {
      throw new ConversionException(
          ConversionFailure.BAD_FRAME,
          "MSG-LEN " + declared + " does not match the " + actual + " octets that follow it");
    }
    return Arrays.copyOfRange(frame, i + 1, frame.length);
  }
}
