package org.atnabridge.allinone;

import ca.uhn.fhir.parser.IParser;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import org.atnabridge.atna.AtnaConverter;
import org.atnabridge.atna.ConversionException;
import org.atnabridge.atna.ConverterLimits;
import org.atnabridge.atna.OctetCountedFrame;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.schemas.RawMetadata;
import org.hl7.fhir.r5.model.AuditEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code atna-bridge convert [FILE...]}: each FILE (stdin when none or {@code -}) is one message —
 * raw audit XML, a syslog message (RFC 5424 / 3164), or one octet-counted frame ({@code MSG-LEN SP
 * MSG}, RFC 5425 §4.3) — converted offline with the same {@link AtnaConverter} the pipeline uses.
 * The AuditEvents go to stdout as NDJSON (one FHIR R5 JSON resource per line; {@code --pretty}
 * indents them); every input that fails gets one {@code FILE: REASON} line on stderr, REASON being
 * the typed {@link ConversionException} message (e.g. {@code XML_MALFORMED at 3:17: …}).
 *
 * <p>Exit codes: 0 all inputs converted, 1 at least one failed, 2 usage error.
 */
@Command(
    name = "convert",
    mixinStandardHelpOptions = true,
    description = {
      "Convert ATNA messages (syslog, octet-counted frame or bare audit XML) to FHIR R5 AuditEvents.",
      "Prints NDJSON on stdout and 'FILE: REASON' on stderr for each input that fails.",
      "Exit 0 when all converted, 1 when any failed, 2 on usage errors."
    })
final class ConvertCommand implements Callable<Integer> {

  private static final String STDIN = "-";

  @Parameters(
      arity = "0..*",
      paramLabel = "FILE",
      description = "Message files, one message each; '-' or none reads one message from stdin.")
  List<String> files = List.of();

  @Option(
      names = "--pretty",
      description = "Pretty-print each AuditEvent (the output is then no longer one line each).")
  boolean pretty;

  @Override
  public Integer call() throws IOException {
    List<String> inputs = files.isEmpty() ? List.of(STDIN) : files;
    if (inputs.stream().filter(STDIN::equals).count() > 1) {
      throw new IllegalArgumentException(
          "'-' (stdin) may be given only once"); // exit 2, see AtnaBridgeCommand
    }
    AtnaConverter converter = new AtnaConverter();
    IParser parser = Fhir.context().newJsonParser().setPrettyPrint(pretty);
    Writer out =
        new BufferedWriter(
            new OutputStreamWriter(
                new PrintStream(System.out, false, StandardCharsets.UTF_8),
                StandardCharsets.UTF_8));
    PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
    int failed = 0;
    for (String input : inputs) {
      try {
        List<AuditEvent> events =
            converter.convert(message(read(input, converter.limits())), metadata(input));
        for (AuditEvent event : events) {
          out.write(parser.encodeResourceToString(event));
          out.write('\n');
        }
      } catch (ConversionException e) {
        failed++;
        err.println(input + ": " + e.getMessage());
      } catch (NoSuchFileException e) {
        failed++;
        err.println(input + ": NO_SUCH_FILE");
      } catch (IOException e) {
        failed++;
        err.println(input + ": IO_ERROR " + e.getClass().getSimpleName());
      }
    }
    out.flush();
    return failed == 0 ? 0 : 1;
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
