package org.atnabridge.accesslog;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import nl.basjes.parse.httpdlog.ApacheHttpdLogFormatDissector;
import nl.basjes.parse.httpdlog.NginxHttpdLogFormatDissector;
import nl.basjes.parse.httpdlog.dissectors.tokenformat.TokenFormatDissector;

/**
 * httpdlog's own line expressions for a format, tried first under a step budget. httpdlog builds
 * one regular expression per format whose address part lets {@code .} take any character and whose
 * quoted fields are {@code .*} and {@code .*?}: on a line that almost matches, backtracking is
 * exponential (AccessLogConverterFuzzTest found lines of 200 bytes that ran for minutes). Java's
 * matcher cannot be interrupted, but it reads its input through {@link CharSequence#charAt}, so the
 * same expressions run over {@link BudgetedChars} stop after a number of reads linear in the line's
 * length. A line over the budget is refused before httpdlog sees it; a line within it costs
 * httpdlog the same steps again, so the budget bounds both.
 */
final class LineExpressionGuard {

  /** What the expressions say about a line. */
  enum Verdict {
    MATCHES,
    NO_MATCH,
    TOO_COMPLEX
  }

  /** Reads allowed per character of the line, plus a floor for short lines. */
  static final int READS_PER_CHAR = 200;

  static final int MIN_READS = 100_000;

  private final List<Pattern> expressions;

  private LineExpressionGuard(List<Pattern> expressions) {
    this.expressions = expressions;
  }

  /**
   * The expressions of every format line, chosen as httpdlog chooses (Apache syntax first, then
   * nginx).
   *
   * @throws IllegalArgumentException when a line of the format is neither syntax
   */
  static LineExpressionGuard of(String logFormat) {
    List<Pattern> expressions = new ArrayList<>();
    for (String format : logFormat.split("\\r?\\n")) {
      if (format.isBlank()) {
        continue;
      }
      TokenFormatDissector d;
      if (ApacheHttpdLogFormatDissector.looksLikeApacheFormat(format)) {
        d = new ApacheHttpdLogFormatDissector(format);
      } else if (NginxHttpdLogFormatDissector.looksLikeNginxFormat(format)) {
        d = new NginxHttpdLogFormatDissector(format);
      } else {
        throw new IllegalArgumentException(
            "log-format: cannot be read as a LogFormat or log_format");
      }
      d.prepareForRun();
      String regex = d.getLogFormatRegEx();
      if (regex == null) {
        throw new IllegalArgumentException(
            "log-format: cannot be read as a LogFormat or log_format");
      }
      expressions.add(Pattern.compile(regex));
    }
    if (expressions.isEmpty()) {
      throw new IllegalArgumentException("log-format: is empty");
    }
    return new LineExpressionGuard(List.copyOf(expressions));
  }

  Verdict check(String line) {
    long budget = MIN_READS + (long) READS_PER_CHAR * line.length();
    BudgetedChars chars = new BudgetedChars(line, budget);
    try {
      for (Pattern p : expressions) {
        if (p.matcher(chars).find()) {
          return Verdict.MATCHES;
        }
      }
      return Verdict.NO_MATCH;
    } catch (BudgetedChars.Exhausted e) {
      return Verdict.TOO_COMPLEX;
    }
  }

  /** A string whose characters may be read a bounded number of times in all. */
  static final class BudgetedChars implements CharSequence {

    /** Thrown out of the matcher when the budget is spent; no stack trace (it is control flow). */
    static final class Exhausted extends RuntimeException {
      private static final long serialVersionUID = 1L;

      Exhausted() {
        super("regular expression step budget spent", null, false, false);
      }
    }

    private final String text;
    private long remaining;

    BudgetedChars(String text, long budget) {
      this.text = text;
      this.remaining = budget;
    }

    @Override
    public char charAt(int index) {
      if (--remaining < 0) {
        throw new Exhausted();
      }
      return text.charAt(index);
    }

    @Override
    public int length() {
      return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return text.subSequence(start, end);
    }

    @Override
    public String toString() {
      return text;
    }
  }
}
