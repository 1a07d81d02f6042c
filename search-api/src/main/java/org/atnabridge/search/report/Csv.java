package org.atnabridge.search.report;

import java.util.List;

/**
 * RFC 4180 CSV with CRLF line ends and doubled quotes, made safe for spreadsheets whichever
 * delimiter they split on: {@code ,} or, in semicolon locales, {@code ;} (OWASP CSV injection).
 *
 * <ul>
 *   <li>A cell is quoted when it holds a comma, a semicolon, a quote, CR or LF.
 *   <li>Wherever a field can begin for either reader — the cell's start, after a {@code ;}, after a
 *       line break (spaces and quotes in between skipped) — a formula character ({@code = + - @},
 *       tab, CR) gets a {@code '} before it, so it is read as text. Quoting alone is not enough: a
 *       reader splitting on {@code ;} ignores a quote that does not open its field, so in {@code
 *       a,"b;=cmd"} the field {@code =cmd"} would be a formula.
 * </ul>
 */
final class Csv {

  private static final String FORMULA_STARTS = "=+-@\t\r";
  private static final String QUOTED_IF_PRESENT = ",;\"\r\n";

  private Csv() {}

  static String row(List<String> cells) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        line.append(',');
      }
      line.append(cell(cells.get(i)));
    }
    return line.append("\r\n").toString();
  }

  static String cell(String value) {
    StringBuilder v = new StringBuilder(value.length() + 2);
    boolean fieldStart = true;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (fieldStart && FORMULA_STARTS.indexOf(c) >= 0) {
        v.append('\'');
      }
      v.append(c);
      fieldStart = c == ';' || c == '\n' || c == '\r' || fieldStart && (c == ' ' || c == '"');
    }
    String neutral = v.toString();
    if (neutral.chars().anyMatch(c -> QUOTED_IF_PRESENT.indexOf(c) >= 0)) {
      return '"' + neutral.replace("\"", "\"\"") + '"';
    }
    return neutral;
  }
}
