package org.atnabridge.accesslog;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The access log formats read without a format string. */
public enum AccessLogFormat {
  /**
   * nginx / Apache {@code combined}: {@code $remote_addr - $remote_user [$time_local] "$request"
   * $status $body_bytes_sent "$http_referer" "$http_user_agent"}; a quoted field after it (nginx's
   * {@code main}) is read as X-Forwarded-For.
   */
  COMBINED("combined"),
  /** nginx / Apache {@code common}: {@code combined} without referer and user agent. */
  COMMON("common"),
  /** One JSON object per line: nginx {@code log_format ... escape=json}, Fluent Bit, Vector. */
  JSON("json"),
  /**
   * Envoy's default access log format: {@code [%START_TIME%] "%REQ(:METHOD)%
   * %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" %RESPONSE_CODE% %RESPONSE_FLAGS% ... "%REQ(
   * X-FORWARDED-FOR)%" "%REQ(USER-AGENT)%" "%REQ(X-REQUEST-ID)%" "%REQ(:AUTHORITY)%"
   * "%UPSTREAM_HOST%"}.
   */
  ENVOY("envoy"),
  /** Envoy's {@code json_format} access log, with the field names of Envoy's documentation. */
  ENVOY_JSON("envoy-json"),
  /**
   * Any Apache {@code LogFormat} or nginx {@code log_format} string, given as the source's {@code
   * log-format}.
   */
  CUSTOM("custom");

  private final String configName;

  AccessLogFormat(String configName) {
    this.configName = configName;
  }

  /** The name used on the command line and in the sources file. */
  public String configName() {
    return configName;
  }

  public boolean json() {
    return this == JSON || this == ENVOY_JSON;
  }

  /**
   * @throws IllegalArgumentException naming the accepted formats
   */
  public static AccessLogFormat of(String name) {
    String n = name.strip().toLowerCase(Locale.ROOT);
    for (AccessLogFormat f : values()) {
      if (f.configName.equals(n)) {
        return f;
      }
    }
    throw new IllegalArgumentException(
        "unknown access log format '" + name + "' (one of " + names() + ")");
  }

  public static String names() {
    return Arrays.stream(values())
        .map(AccessLogFormat::configName)
        .collect(Collectors.joining(", "));
  }
}
