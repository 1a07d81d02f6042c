package org.atnabridge.search;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;

/**
 * Puts {@code valueInteger64} values in quotes as they are written. R5's JSON format represents
 * {@code integer64} as a string ("integer64 ... is represented as a JSON string", R5 JSON
 * representation of primitive types), but HAPI's JSON encoder writes it as a JSON number, and every
 * count the operations answer ({@code $access-report}, {@code $user-activity-report}, {@code
 * $verify}, {@code $stats}) is one. A small state machine over the characters: after the exact
 * member name {@code "valueInteger64":} (and any white space), a number is wrapped in quotes; an
 * already quoted value, and the same text inside a JSON string (where its quotes are escaped), are
 * left alone. Nothing is buffered beyond the current character.
 */
public final class Integer64JsonWriter extends FilterWriter {

  /**
   * The members written as R5 integer64: {@code valueInteger64}, and SubscriptionStatus's {@code
   * eventsSinceSubscriptionStart} and {@code notificationEvent.eventNumber}.
   */
  private static final String[] NAMES = {
    "\"valueInteger64\":", "\"eventsSinceSubscriptionStart\":", "\"eventNumber\":"
  };

  /** How many characters of each of {@link #NAMES} were just written. */
  private final int[] matched = new int[NAMES.length];

  /** Whether a whole name was just written (then only white space until its value). */
  private boolean named;

  private boolean inNumber;

  Integer64JsonWriter(Writer out) {
    super(out);
  }

  /** The JSON text with every {@code valueInteger64} number quoted. */
  public static String quote(String json) {
    StringWriter s = new StringWriter(json.length() + 16);
    try (Integer64JsonWriter w = new Integer64JsonWriter(s)) {
      w.write(json);
    } catch (IOException e) {
      throw new IllegalStateException(e); // a StringWriter does not fail
    }
    return s.toString();
  }

  @Override
  public void write(int c) throws IOException {
    if (inNumber) {
      if (isNumberChar((char) c)) {
        out.write(c);
        return;
      }
      out.write('"');
      inNumber = false;
    }
    if (named) {
      if (Character.isWhitespace(c)) {
        out.write(c);
        return;
      }
      named = false;
      java.util.Arrays.fill(matched, 0);
      if (c == '-' || (c >= '0' && c <= '9')) {
        out.write('"');
        inNumber = true;
        out.write(c);
        return;
      }
    }
    out.write(c);
    for (int i = 0; i < NAMES.length; i++) {
      String name = NAMES[i];
      if (c == name.charAt(matched[i])) {
        matched[i]++;
        if (matched[i] == name.length()) {
          named = true;
        }
      } else {
        matched[i] = c == name.charAt(0) ? 1 : 0;
      }
    }
  }

  @Override
  public void write(char[] buf, int off, int len) throws IOException {
    for (int i = off; i < off + len; i++) {
      write(buf[i]);
    }
  }

  @Override
  public void write(String str, int off, int len) throws IOException {
    for (int i = off; i < off + len; i++) {
      write(str.charAt(i));
    }
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }

  @Override
  public void close() throws IOException {
    if (inNumber) {
      out.write('"'); // a document cannot end in a number here; closes the value all the same
      inNumber = false;
    }
    out.close();
  }

  private static boolean isNumberChar(char c) {
    return (c >= '0' && c <= '9') || c == '-';
  }
}
