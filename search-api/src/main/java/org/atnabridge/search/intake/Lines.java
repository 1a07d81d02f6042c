package org.atnabridge.search.intake;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits a body into its lines: LF or CR LF ends a line (the terminator is dropped), a last line
 * without one counts too, and lines of only spaces and tabs are skipped. Every other octet is kept
 * as it is, invalid UTF-8 included: the streams dead-letter what they cannot read, with a reason.
 */
final class Lines {

  private Lines() {}

  static List<byte[]> split(byte[] body) {
    List<byte[]> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= body.length; i++) {
      if (i == body.length || body[i] == '\n') {
        int end = i;
        if (end > start && body[end - 1] == '\r') {
          end--;
        }
        if (!blank(body, start, end)) {
          lines.add(Arrays.copyOfRange(body, start, end));
        }
        start = i + 1;
      }
    }
    return lines;
  }

  private static boolean blank(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != ' ' && b[i] != '\t' && b[i] != '\r') {
        return false;
      }
    }
    return true;
  }
}
