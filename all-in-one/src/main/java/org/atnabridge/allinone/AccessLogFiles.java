package org.atnabridge.allinone;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import org.atnabridge.accesslog.AccessLogConversion;
import org.atnabridge.accesslog.AccessLogConverter;
import org.atnabridge.accesslog.AccessLogSource;
import org.atnabridge.accesslog.LineOrigin;
import org.hl7.fhir.r5.model.AuditEvent;

/**
 * {@code convert --access-log}: access log files (or stdin), line by line, through the {@link
 * AccessLogConverter}; NDJSON on stdout, {@code FILE:LINE: REASON} on stderr for each failed line.
 * A line longer than the limit is never held whole: the rest of it is skipped and it fails {@code
 * TOO_LONG}.
 */
final class AccessLogFiles {

  private final AccessLogSource source;
  private final boolean showDropped;
  private final AccessLogConverter converter = new AccessLogConverter();
  private final Function<AuditEvent, String> encoder;

  /**
   * @param encoder one AuditEvent as one JSON resource ({@link ConvertFhirVersion#encoder})
   */
  AccessLogFiles(
      AccessLogSource source, boolean showDropped, Function<AuditEvent, String> encoder) {
    this.source = source;
    this.showDropped = showDropped;
    this.encoder = encoder;
  }

  /**
   * @return the exit code: 0 no line failed, 1 some line or file failed
   */
  int convert(List<String> inputs) throws IOException {
    return ConvertInputs.each(
        inputs,
        (input, out, err) -> {
          try (InputStream in = ConvertInputs.open(input)) {
            return convert(input, in, out, err);
          }
        });
  }

  private int convert(String input, InputStream in, Writer out, PrintStream err)
      throws IOException {
    int max = converter.limits().maxLineBytes();
    ByteArrayOutputStream line = new ByteArrayOutputStream(1024);
    int failed = 0;
    long number = 0;
    boolean tooLong = false;
    long length = 0;
    int b;
    while (true) {
      b = in.read();
      if (b == '\n' || b < 0) {
        if (b < 0 && line.size() == 0 && length == 0) {
          break;
        }
        number++;
        if (tooLong) {
          failed++;
          err.println(
              input + ":" + number + ": TOO_LONG " + length + " bytes, the limit is " + max);
        } else if (!blank(line)) {
          failed += convertLine(input, number, line.toByteArray(), out, err);
        }
        line.reset();
        tooLong = false;
        length = 0;
        if (b < 0) {
          break;
        }
        continue;
      }
      length++;
      if (length > max + 1L) {
        tooLong = true;
        line.reset();
      } else {
        line.write(b);
      }
    }
    return failed;
  }

  private int convertLine(String input, long number, byte[] line, Writer out, PrintStream err)
      throws IOException {
    AccessLogConversion c = converter.convert(line, source, LineOrigin.offline(Instant.now()));
    switch (c) {
      case AccessLogConversion.Converted converted -> {
        for (AuditEvent e : converted.events()) {
          out.write(encoder.apply(e));
          out.write('\n');
        }
        return 0;
      }
      case AccessLogConversion.Dropped dropped -> {
        if (showDropped) {
          err.println(input + ":" + number + ": DROPPED " + dropped.reason());
        }
        return 0;
      }
      case AccessLogConversion.Failed f -> {
        err.println(input + ":" + number + ": " + f);
        return 1;
      }
    }
  }

  private static boolean blank(ByteArrayOutputStream line) {
    for (byte x : line.toByteArray()) {
      if (x != ' ' && x != '\t' && x != '\r') {
        return false;
      }
    }
    return true;
  }
}
