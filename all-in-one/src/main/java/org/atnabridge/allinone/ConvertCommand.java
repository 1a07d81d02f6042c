package org.atnabridge.allinone;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.atnabridge.accesslog.AccessLogConverter;
import org.atnabridge.accesslog.AccessLogFormat;
import org.atnabridge.accesslog.AccessLogSource;
import org.atnabridge.accesslog.AccessLogSources;
import org.atnabridge.atna.AtnaConverter;
import org.atnabridge.atna.ConversionException;
import org.atnabridge.atna.ConverterLimits;
import org.atnabridge.atna.OctetCountedFrame;
import org.atnabridge.schemas.RawMetadata;
import org.hl7.fhir.r5.model.AuditEvent;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code atna-bridge convert [FILE...]}: each FILE (stdin when none or {@code -}) is one message —
 * raw audit XML, a syslog message (RFC 5424 / 3164), or one octet-counted frame ({@code MSG-LEN SP
 * MSG}, RFC 5425 §4.3) — converted offline with the same {@link AtnaConverter} the pipeline uses.
 * The AuditEvents go to stdout as NDJSON (one FHIR R5 JSON resource per line; {@code --pretty}
 * indents them; {@code --fhir-version R4} writes their R4 projection, as the R4 base serves them);
 * every input that fails gets one {@code FILE: REASON} line on stderr, REASON being the typed
 * {@link ConversionException} message (e.g. {@code XML_MALFORMED at 3:17: …}).
 *
 * <p>With {@code --access-log FORMAT} each FILE is an HTTP access log instead, one request per
 * line, converted with the {@link AccessLogConverter} to BALP RESTful AuditEvents; a line that
 * fails gets {@code FILE:LINE: REASON} on stderr; lines that are no FHIR interaction ({@code
 * /health}, static files, ...) are dropped by the source's rules and not a failure ({@code
 * --show-dropped} lists them). FORMAT is a format ({@code combined}, {@code common}, {@code json},
 * {@code envoy}, {@code envoy-json}), an Apache {@code LogFormat} / nginx {@code log_format} string
 * (it has a {@code %} or {@code $}), or the name of a source in {@code --access-log-sources FILE}.
 *
 * <p>Exit codes: 0 all inputs converted (or, for access logs, dropped by a rule), 1 at least one
 * failed, 2 usage error.
 */
@Command(
    name = "convert",
    mixinStandardHelpOptions = true,
    description = {
      "Convert ATNA messages (syslog, octet-counted frame or bare audit XML) to FHIR R5 AuditEvents.",
      "Prints NDJSON on stdout and 'FILE: REASON' on stderr for each input that fails.",
      "With --access-log FORMAT: HTTP access log lines, one request each, to BALP AuditEvents;",
      "'FILE:LINE: REASON' on stderr for each line that fails.",
      "Exit 0 when all converted, 1 when any failed, 2 on usage errors."
    })
final class ConvertCommand implements Callable<Integer> {

  private static final String STDIN = ConvertInputs.STDIN;

  @Parameters(
      arity = "0..*",
      paramLabel = "FILE",
      description = "Message files, one message each; '-' or none reads one message from stdin.")
  List<String> files = List.of();

  @Option(
      names = "--pretty",
      description = "Pretty-print each AuditEvent (the output is then no longer one line each).")
  boolean pretty;

  @Option(
      names = "--access-log",
      paramLabel = "FORMAT",
      description = {
        "Read HTTP access logs instead of ATNA messages: a format (combined, common, json,",
        "envoy, envoy-json), an Apache LogFormat / nginx log_format string, or the name of a",
        "source in --access-log-sources."
      })
  @Nullable String accessLog;

  @Option(
      names = "--access-log-sources",
      paramLabel = "FILE",
      description =
          "YAML file declaring access log sources (name, format, observer, base-paths, drop, ...).")
  @Nullable Path accessLogSources;

  @Option(
      names = "--show-dropped",
      description = "With --access-log: also print 'FILE:LINE: DROPPED REASON' for dropped lines.")
  boolean showDropped;

  @Option(
      names = "--fhir-version",
      paramLabel = "VERSION",
      defaultValue = "R5",
      description = {
        "FHIR version of the output: R5 (default; the AuditEvent as stored) or R4 (the",
        "projection the R4 base serves: ITI-81 on R4, IHE BALP 1.1.4)."
      })
  ConvertFhirVersion fhirVersion = ConvertFhirVersion.R5;

  @Override
  public Integer call() throws IOException {
    List<String> inputs = files.isEmpty() ? List.of(STDIN) : files;
    if (inputs.stream().filter(STDIN::equals).count() > 1) {
      throw new IllegalArgumentException(
          "'-' (stdin) may be given only once"); // exit 2, see AtnaBridgeCommand
    }
    if (accessLog != null || accessLogSources != null) {
      return new AccessLogFiles(accessLogSource(), showDropped, fhirVersion.encoder(pretty))
          .convert(inputs);
    }
    AtnaConverter converter = new AtnaConverter();
    Function<AuditEvent, String> encoder = fhirVersion.encoder(pretty);
    return ConvertInputs.each(
        inputs,
        (input, out, err) -> {
          try {
            List<AuditEvent> events =
                converter.convert(message(read(input, converter.limits())), metadata(input));
            for (AuditEvent event : events) {
              out.write(encoder.apply(event));
              out.write('\n');
            }
            return 0;
          } catch (ConversionException e) {
            err.println(input + ": " + e.getMessage());
            return 1;
          }
        });
  }

  /** The source {@code --access-log} names (exit 2 for a bad one, naming what is accepted). */
  private AccessLogSource accessLogSource() throws IOException {
    if (accessLog == null) {
      throw new IllegalArgumentException(
          "--access-log-sources needs --access-log FORMAT-OR-SOURCE (which source to read with)");
    }
    AccessLogSources sources = AccessLogSourcesFile.load(accessLogSources);
    if (sources != null) {
      AccessLogSource named = sources.get(accessLog);
      if (named != null) {
        return named;
      }
    }
    if (accessLog.indexOf('%') >= 0 || accessLog.indexOf('$') >= 0) {
      try {
        return AccessLogSource.custom(accessLog); // an Apache LogFormat or nginx log_format string
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--access-log: " + e.getMessage(), e);
      }
    }
    try {
      return AccessLogSource.defaults(AccessLogFormat.of(accessLog));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--access-log: "
              + e.getMessage()
              + (sources == null ? "" : ", or a source of " + sources.byName().keySet()),
          e);
    }
  }

  /**
   * A leading digit means an octet-counted frame (RFC 6587 §3.4.1; non-transparent frames start
   * with {@code <}).
   */
  private static byte[] message(byte[] bytes) throws ConversionException {
    return bytes.length > 0 && bytes[0] >= '1' && bytes[0] <= '9'
        ? OctetCountedFrame.strip(bytes)
        : bytes;
  }

  /**
   * At most one byte (plus a frame prefix) past the size limit, so an endless stdin cannot exhaust
   * memory.
   */
  private static byte[] read(String input, ConverterLimits limits) throws IOException {
    int cap = limits.maxMessageBytes() + 12;
    if (STDIN.equals(input)) {
      return System.in.readNBytes(cap);
    }
    try (InputStream in = Files.newInputStream(Path.of(input))) {
      return in.readNBytes(cap);
    }
  }

  private static RawMetadata metadata(String input) {
    return new RawMetadata(
        "unknown", null, Instant.now(), STDIN.equals(input) ? "convert:stdin" : "convert:" + input);
  }
}
