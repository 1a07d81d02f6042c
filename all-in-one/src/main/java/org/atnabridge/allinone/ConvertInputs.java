package org.atnabridge.allinone;

import java.io.BufferedInputStream;
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
import java.util.List;

/**
 * The inputs of {@code convert}, one after another, whatever they hold: NDJSON on stdout, one
 * {@code INPUT: REASON} line on stderr per failure; a missing or unreadable input fails alone
 * ({@code NO_SUCH_FILE}, {@code IO_ERROR}) and the others are still converted. Exit code 0 when
 * nothing failed, else 1.
 */
final class ConvertInputs {

  /** The input name of standard input. */
  static final String STDIN = "-";

  /** Converts one input; returns how many of its records failed (each reported on {@code err}). */
  @FunctionalInterface
  interface Converter {
    int convert(String input, Writer out, PrintStream err) throws IOException;
  }

  private ConvertInputs() {}

  static int each(List<String> inputs, Converter converter) throws IOException {
    Writer out =
        new BufferedWriter(
            new OutputStreamWriter(
                new PrintStream(System.out, false, StandardCharsets.UTF_8),
                StandardCharsets.UTF_8));
    PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
    int failed = 0;
    for (String input : inputs) {
      try {
        failed += converter.convert(input, out, err);
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

  /** The input's bytes: standard input for {@value #STDIN}, else the file. */
  static InputStream open(String input) throws IOException {
    return new BufferedInputStream(
        STDIN.equals(input) ? System.in : Files.newInputStream(Path.of(input)), 65536);
  }
}
