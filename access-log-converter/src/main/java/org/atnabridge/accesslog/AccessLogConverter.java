package org.atnabridge.accesslog;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.atnabridge.accesslog.AccessLogConversion.Converted;
import org.atnabridge.accesslog.AccessLogConversion.Dropped;
import org.atnabridge.accesslog.AccessLogConversion.Failed;
import org.atnabridge.schemas.scrub.LineScrubber;
import org.hl7.fhir.r5.model.AuditEvent;

/**
 * One access log line → BALP RESTful R5 AuditEvents: limits and UTF-8 check, {@link LineScrubber},
 * the source's format ({@link TextLineParser}, {@link JsonLineParser}), {@link QueryScrubber},
 * {@link RestRequestReader} (interaction, drop rules), {@link PatientRoutes} (one event per
 * patient, sharing a correlation id) and {@link BalpEventBuilder}. Never throws on input: every
 * line gives {@link Converted}, {@link Dropped} or {@link Failed}. Thread-safe, no I/O.
 */
public final class AccessLogConverter {

  private final AccessLogLimits limits;
  private final JsonLineParser json;
  private final java.util.concurrent.ConcurrentHashMap<String, CustomFormatParser> custom =
      new java.util.concurrent.ConcurrentHashMap<>();

  public AccessLogConverter() {
    this(AccessLogLimits.DEFAULT);
  }

  public AccessLogConverter(AccessLogLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.json = new JsonLineParser(limits);
  }

  public AccessLogLimits limits() {
    return limits;
  }

  /** One line as received (a trailing CR/LF is ignored). */
  public AccessLogConversion convert(byte[] line, AccessLogSource source, LineOrigin origin) {
    int end = line.length;
    while (end > 0 && (line[end - 1] == '\n' || line[end - 1] == '\r')) {
      end--;
    }
    if (end == 0) {
      return new Failed(FailureReason.EMPTY, "");
    }
    if (end > limits.maxLineBytes()) {
      return new Failed(
          FailureReason.TOO_LONG, end + " bytes, the limit is " + limits.maxLineBytes());
    }
    String text;
    if (ascii(line, end)) {
      text = new String(line, 0, end, StandardCharsets.ISO_8859_1); // most lines: no decoder needed
      return convertText(text, source, origin);
    }
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(line, 0, end))
              .toString();
    } catch (CharacterCodingException e) {
      return new Failed(FailureReason.INVALID_UTF8, "");
    }
    return convertText(text, source, origin);
  }

  private AccessLogRecord record(String line, AccessLogSource source) throws LineException {
    if (source.format().json()) {
      return json.parse(line, source.jsonFields());
    }
    String logFormat = source.logFormat();
    if (logFormat != null) {
      return custom.computeIfAbsent(logFormat, CustomFormatParser::new).parse(line);
    }
    return TextLineParser.parse(line, source.format());
  }

  private static boolean ascii(byte[] b, int end) {
    for (int i = 0; i < end; i++) {
      if (b[i] < 0) {
        return false;
      }
    }
    return true;
  }

  /** One line already decoded (a trailing CR/LF is ignored). */
  public AccessLogConversion convert(String line, AccessLogSource source, LineOrigin origin) {
    String text = line;
    int end = text.length();
    while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
      end--;
    }
    text = text.substring(0, end);
    if (text.isEmpty()) {
      return new Failed(FailureReason.EMPTY, "");
    }
    if (text.length() > limits.maxLineBytes()) {
      return new Failed(
          FailureReason.TOO_LONG, text.length() + " chars, the limit is " + limits.maxLineBytes());
    }
    return convertText(text, source, origin);
  }

  private AccessLogConversion convertText(String raw, AccessLogSource source, LineOrigin origin) {
    try {
      String line = LineScrubber.scrub(raw, source.scrubParameters());
      AccessLogRecord rec = record(line, source);
      if (rec.method().isEmpty()) {
        return new Dropped(DropReason.NOT_AN_INTERACTION_METHOD);
      }
      String target = QueryScrubber.scrub(rec.target(), source.scrubParameters());
      RestRequestReader.Reading reading = RestRequestReader.read(rec.method(), target, source);
      RestRequest request = reading.request();
      if (request == null) {
        return new Dropped(Objects.requireNonNull(reading.drop()));
      }
      List<PatientRef> patients = PatientRoutes.of(request);
      if (patients.size() > limits.maxPatients()) {
        return new Failed(
            FailureReason.TOO_MANY_PATIENTS,
            patients.size() + " patients, the limit is " + limits.maxPatients());
      }
      String id = AccessLogEventIds.of(source.name(), line);
      if (patients.size() <= 1) {
        return new Converted(
            List.of(
                BalpEventBuilder.build(
                    new BalpEventBuilder.Input(
                        rec,
                        line,
                        request,
                        source,
                        origin,
                        target,
                        patients.isEmpty() ? null : patients.get(0),
                        id,
                        id))));
      }
      List<AuditEvent> events = new ArrayList<>(patients.size());
      for (int k = 0; k < patients.size(); k++) {
        events.add(
            BalpEventBuilder.build(
                new BalpEventBuilder.Input(
                    rec,
                    line,
                    request,
                    source,
                    origin,
                    target,
                    patients.get(k),
                    id + "-" + (k + 1),
                    id)));
      }
      return new Converted(events);
    } catch (LineException e) {
      return new Failed(e.reason(), String.valueOf(e.getMessage()));
    } catch (RuntimeException e) {
      // a defect, not the line's fault: still a typed result, never the line's content
      return new Failed(FailureReason.MALFORMED, "unexpected " + e.getClass().getSimpleName());
    }
  }
}
