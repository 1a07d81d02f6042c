package org.atnabridge.allinone;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.atnabridge.atna.AtnaConverter;
import org.atnabridge.atna.ConversionException;
import org.atnabridge.atna.OctetCountedFrame;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.schemas.RawMetadata;
import org.hl7.fhir.r5.model.AuditEvent;

/**
 * The inputs of {@code rules test} as AuditEvents: a file whose content starts with <code>{</code>
 * is an AuditEvent as FHIR R5 JSON or NDJSON (one per line; what {@code convert} prints); any other
 * is ATNA, converted with the pipeline's {@link AtnaConverter}: one or more octet-counted syslog
 * frames ({@code MSG-LEN SP MSG}, RFC 5425 §4.3, one after another), or one message (bare audit
 * XML, or a syslog message, RFC 5424 / 3164). What cannot be read is reported on {@code err} as
 * {@code INPUT: REASON} (NDJSON: {@code INPUT:LINE: REASON}) and the rest is still read.
 */
final class RulesTestInputs {

  /** The events read, and how many inputs or records failed. */
  record Read(List<AuditEvent> events, int failed) {}

  private final AtnaConverter converter = new AtnaConverter();

  Read read(List<String> inputs, PrintStream err) {
    List<AuditEvent> events = new ArrayList<>();
    int failed = 0;
    for (String input : inputs) {
      try (InputStream in = ConvertInputs.open(input)) {
        byte[] bytes = in.readAllBytes();
        failed += read(input, bytes, events, err);
      } catch (java.nio.file.NoSuchFileException e) {
        failed++;
        err.println(input + ": NO_SUCH_FILE");
      } catch (IOException e) {
        failed++;
        err.println(input + ": IO_ERROR " + e.getClass().getSimpleName());
      }
    }
    return new Read(List.copyOf(events), failed);
  }

  private int read(String input, byte[] bytes, List<AuditEvent> events, PrintStream err) {
    String text = new String(bytes, StandardCharsets.UTF_8).strip();
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1).strip();
    }
    if (text.startsWith("{")) {
      return json(input, text, events, err);
    }
    int failed = 0;
    for (byte[] message : messages(bytes)) {
      try {
        events.addAll(converter.convert(message, metadata(input)));
      } catch (ConversionException e) {
        failed++;
        err.println(input + ": " + e.getMessage());
      }
    }
    return failed;
  }

  /** One AuditEvent (possibly pretty-printed), else one per non-blank line. */
  private static int json(String input, String text, List<AuditEvent> events, PrintStream err) {
    try {
      events.add(Fhir.jsonParser().parseResource(AuditEvent.class, text));
      return 0;
    } catch (RuntimeException whole) {
      int failed = 0;
      String[] lines = text.split("\r?\n");
      for (int i = 0; i < lines.length; i++) {
        if (lines[i].isBlank()) {
          continue;
        }
        try {
          events.add(Fhir.jsonParser().parseResource(AuditEvent.class, lines[i]));
        } catch (RuntimeException e) {
          failed++;
          err.println(input + ":" + (i + 1) + ": NOT_AUDIT_EVENT " + e.getMessage());
        }
      }
      return failed;
    }
  }

  /**
   * The frames of a file of octet-counted frames, or the file as one message. A leading digit means
   * octet counting (RFC 6587 §3.4.1; a syslog message starts with {@code <}, XML with {@code <}
   * too).
   */
  static List<byte[]> messages(byte[] bytes) {
    int start = 0;
    while (start < bytes.length && Character.isWhitespace(bytes[start])) {
      start++;
    }
    if (start >= bytes.length || bytes[start] < '1' || bytes[start] > '9') {
      return List.of(bytes);
    }
    List<byte[]> out = new ArrayList<>();
    int i = start;
    while (i < bytes.length) {
      int sp = i;
      while (sp < bytes.length && bytes[sp] >= '0' && bytes[sp] <= '9' && sp - i <= 10) {
        sp++;
      }
      if (sp == i || sp >= bytes.length || bytes[sp] != ' ') {
        return List.of(bytes); // not a sequence of frames: let the converter say why
      }
      long len = Long.parseLong(new String(bytes, i, sp - i, StandardCharsets.US_ASCII));
      if (len > bytes.length - sp - 1) {
        return List.of(bytes);
      }
      int end = sp + 1 + (int) len;
      out.add(Arrays.copyOfRange(bytes, i, end));
      i = end;
      while (i < bytes.length && Character.isWhitespace(bytes[i])) {
        i++;
      }
    }
    List<byte[]> messages = new ArrayList<>();
    for (byte[] frame : out) {
      try {
        messages.add(OctetCountedFrame.strip(frame));
      } catch (ConversionException e) {
        return List.of(bytes);
      }
    }
    return messages;
  }

  private static RawMetadata metadata(String input) {
    return new RawMetadata(
        "unknown",
        null,
        Instant.now(),
        ConvertInputs.STDIN.equals(input) ? "rules-test:stdin" : "rules-test:" + input);
  }
}
