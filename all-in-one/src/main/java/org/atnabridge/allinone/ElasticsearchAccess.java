package org.atnabridge.allinone;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.atnabridge.store.elasticsearch.ElasticsearchCredentials;
import org.jspecify.annotations.Nullable;

/**
 * The Elasticsearch security options read and checked at start-up; a bad one stops the process
 * naming it. Secrets come from files or the environment and are never echoed in a message.
 */
final class ElasticsearchAccess {

  private ElasticsearchAccess() {}

  static ElasticsearchCredentials credentials(
      @Nullable String url,
      @Nullable String ca,
      @Nullable String apiKey,
      @Nullable String user,
      @Nullable String passwordFile) {
    String caValue = given(ca);
    String keyValue = given(apiKey);
    String who = given(user);
    String passwordValue = given(passwordFile);
    Path caFile = caValue == null ? null : readable("--elasticsearch-ca", caValue);
    String key = keyValue == null ? null : apiKey(keyValue);
    String password =
        passwordValue == null
            ? null
            : firstLine(
                "--elasticsearch-password-file",
                readable("--elasticsearch-password-file", passwordValue));
    if (key != null && who != null) {
      throw new IllegalArgumentException(
          "--elasticsearch-api-key and --elasticsearch-user: give one way to authenticate, not both");
    }
    if (who != null && password == null) {
      throw new IllegalArgumentException(
          "--elasticsearch-user needs --elasticsearch-password-file");
    }
    if (who == null && password != null) {
      throw new IllegalArgumentException(
          "--elasticsearch-password-file needs --elasticsearch-user");
    }
    boolean secured = key != null || who != null || caFile != null;
    if (secured && !allHttps(url)) {
      throw new IllegalArgumentException(
          "--elasticsearch-ca, --elasticsearch-api-key and --elasticsearch-user need an https "
              + "--elasticsearch-url: credentials never travel in clear");
    }
    return new ElasticsearchCredentials(caFile, key, who, password);
  }

  /** Every node of a comma-separated list is https. */
  private static boolean allHttps(@Nullable String url) {
    if (url == null || url.isBlank()) {
      return false;
    }
    for (String node : url.split(",", -1)) {
      if (!node.strip().startsWith("https://")) {
        return false;
      }
    }
    return true;
  }

  private static String apiKey(String value) {
    String v = value;
    if (v.startsWith("@")) {
      return firstLine(
          "--elasticsearch-api-key", readable("--elasticsearch-api-key", v.substring(1)));
    }
    return v;
  }

  private static Path readable(String option, String value) {
    Path p = Path.of(value);
    if (!Files.isReadable(p)) {
      throw new IllegalArgumentException(option + ": cannot read " + p);
    }
    return p;
  }

  private static String firstLine(String option, Path file) {
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8).strip();
      int nl = text.indexOf('\n');
      String line = (nl < 0 ? text : text.substring(0, nl)).strip();
      if (line.isEmpty()) {
        throw new IllegalArgumentException(option + ": " + file + " is empty");
      }
      return line;
    } catch (IOException e) {
      throw new IllegalArgumentException(option + ": cannot read " + file);
    }
  }

  /** The value stripped, or null when not given. */
  private static @Nullable String given(@Nullable String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
