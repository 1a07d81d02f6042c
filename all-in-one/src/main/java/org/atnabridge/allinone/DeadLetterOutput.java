package org.atnabridge.allinone;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.header.Header;
import org.atnabridge.schemas.DeadLetterHeaders;
import org.jspecify.annotations.Nullable;

/**
 * How {@code dlq} prints dead letters: a table for people, or NDJSON ({@code --json}) for scripts,
 * one object per record; bytes through {@link ByteText}, never raw.
 */
final class DeadLetterOutput {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int DETAIL_COLUMN = 60;

  private DeadLetterOutput() {}

  /** One line per record, then the count per reason. */
  static void table(PrintWriter out, List<DeadLetter> records) {
    out.printf(
        "%-9s %-8s %-24s %-26s %-28s %s%n",
        "PARTITION", "OFFSET", "TIME", "REASON", "SOURCE", "DETAIL");
    for (DeadLetter d : records) {
      out.printf(
          "%-9d %-8d %-24s %-26s %-28s %s%n",
          d.partition(),
          d.offset(),
          d.time(),
          oneLine(d.reason(), 40),
          oneLine(d.source(), 60),
          oneLine(nullToDash(d.header(DeadLetterHeaders.DETAIL)), DETAIL_COLUMN));
    }
    Map<String, Integer> counts = counts(records);
    StringBuilder summary = new StringBuilder().append(records.size()).append(" record(s)");
    counts.forEach((reason, n) -> summary.append(", ").append(reason).append(' ').append(n));
    out.println(summary);
  }

  /** One JSON object per record, then {@code {"summary":{"total":N,"reasons":{...}}}}. */
  static void ndjson(PrintWriter out, List<DeadLetter> records) {
    for (DeadLetter d : records) {
      out.println(json(d, false));
    }
    ObjectNode summary = JSON.createObjectNode();
    ObjectNode s = summary.putObject("summary");
    s.put("total", records.size());
    ObjectNode reasons = s.putObject("reasons");
    counts(records).forEach(reasons::put);
    out.println(summary);
  }

  /** One record in full: headers and the original key and value. */
  static void full(PrintWriter out, DeadLetter d) {
    out.println("partition  " + d.partition());
    out.println("offset     " + d.offset());
    out.println("time       " + d.time());
    out.println("reason     " + oneLine(d.reason(), 200));
    out.println("detail     " + oneLine(nullToDash(d.header(DeadLetterHeaders.DETAIL)), 2000));
    out.println("stage      " + oneLine(nullToDash(d.header(DeadLetterHeaders.STAGE)), 200));
    out.println("source     " + oneLine(d.source(), 200));
    out.println("failed-at  " + oneLine(nullToDash(d.header(DeadLetterHeaders.FAILED_AT)), 200));
    for (Header h : d.headers()) {
      ByteText v = ByteText.of(h.value() == null ? new byte[0] : h.value());
      out.println("header     " + oneLine(h.key(), 200) + " = " + shown(v));
    }
    if (d.key() == null) {
      out.println("key        (none)");
    } else {
      out.println("key        " + shown(ByteText.of(d.key())));
    }
    ByteText value = ByteText.of(d.value());
    out.println("value      (" + value.encoding() + ", " + d.value().length + " bytes)");
    out.println(value.content());
  }

  /** The record as one JSON object; with {@code full}, the headers, key and value too. */
  static ObjectNode json(DeadLetter d, boolean full) {
    ObjectNode o = JSON.createObjectNode();
    o.put("partition", d.partition());
    o.put("offset", d.offset());
    o.put("time", d.time().toString());
    o.put("reason", d.reason());
    o.put("detail", d.header(DeadLetterHeaders.DETAIL));
    o.put("stage", d.header(DeadLetterHeaders.STAGE));
    o.put("source", d.source());
    o.put("failedAt", d.header(DeadLetterHeaders.FAILED_AT));
    o.put("size", d.value().length);
    if (full) {
      ObjectNode headers = o.putObject("headers");
      for (Header h : d.headers()) {
        ByteText v = ByteText.of(h.value() == null ? new byte[0] : h.value());
        headers.put(h.key(), v.encoding().equals("text") ? v.content() : "base64:" + v.content());
      }
      if (d.key() != null) {
        bytes(o.putObject("key"), ByteText.of(d.key()));
      }
      bytes(o.putObject("value"), ByteText.of(d.value()));
    }
    return o;
  }

  static Map<String, Integer> counts(List<DeadLetter> records) {
    Map<String, Integer> counts = new TreeMap<>();
    records.forEach(d -> counts.merge(d.reason(), 1, Integer::sum));
    return counts;
  }

  private static void bytes(ObjectNode o, ByteText t) {
    o.put("encoding", t.encoding());
    o.put("content", t.content());
  }

  private static String shown(ByteText t) {
    return t.encoding().equals("text") ? oneLine(t.content(), 2000) : "base64:" + t.content();
  }

  private static String nullToDash(@Nullable String s) {
    return s == null ? "-" : s;
  }

  /**
   * One line, at most {@code max} characters: control and format characters (line breaks, escape
   * sequences, bidi overrides) become spaces.
   */
  static String oneLine(String s, int max) {
    StringBuilder b = new StringBuilder(Math.min(s.length(), max));
    s.codePoints()
        .forEach(
            c ->
                b.appendCodePoint(
                    Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
                        ? ' '
                        : c));
    return b.length() <= max ? b.toString() : b.substring(0, max - 1) + "…";
  }
}
