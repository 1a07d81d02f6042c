package org.atnabridge.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Compares a JSON tree with a reviewed golden one and names every path where they differ, so a
 * failing golden test says what changed instead of printing two whole documents.
 */
public final class JsonTreeDiff {

  private JsonTreeDiff() {}

  /**
   * Every path ({@code $.a[0].b}) where the trees differ: missing, extra, or changed values, array
   * elements by index; empty when they are equal.
   */
  public static List<String> diff(JsonNode expected, JsonNode actual) {
    List<String> out = new ArrayList<>();
    diff("$", expected, actual, out);
    return out;
  }

  private static void diff(String path, JsonNode expected, JsonNode actual, List<String> out) {
    if (expected.isObject() && actual.isObject()) {
      for (Iterator<String> it = expected.fieldNames(); it.hasNext(); ) {
        String name = it.next();
        if (!actual.has(name)) {
          out.add(path + "." + name + ": missing, expected " + expected.get(name));
        } else {
          diff(path + "." + name, expected.get(name), actual.get(name), out);
        }
      }
      for (Iterator<String> it = actual.fieldNames(); it.hasNext(); ) {
        String name = it.next();
        if (!expected.has(name)) {
          out.add(path + "." + name + ": unexpected " + actual.get(name));
        }
      }
    } else if (expected.isArray() && actual.isArray()) {
      for (int i = 0; i < Math.max(expected.size(), actual.size()); i++) {
        if (i >= actual.size()) {
          out.add(path + "[" + i + "]: missing, expected " + expected.get(i));
        } else if (i >= expected.size()) {
          out.add(path + "[" + i + "]: unexpected " + actual.get(i));
        } else {
          diff(path + "[" + i + "]", expected.get(i), actual.get(i), out);
        }
      }
    } else if (!expected.equals(actual)) {
      out.add(path + ": expected " + expected + " but was " + actual);
    }
  }
}
