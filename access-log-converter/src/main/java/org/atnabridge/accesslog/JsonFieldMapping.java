package org.atnabridge.accesslog;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Which field of a JSON line holds what. A null entry means the well-known names are tried (nginx
 * variable names such as {@code remote_user}, {@code request_id}, {@code http_x_forwarded_for};
 * Envoy's {@code user_agent}, {@code x_forwarded_for}, {@code request_id}, ...).
 */
public record JsonFieldMapping(
    @Nullable String user,
    @Nullable String clientId,
    @Nullable String requestId,
    @Nullable String forwardedFor,
    @Nullable String upstreamStatus) {

  public static final JsonFieldMapping DEFAULT = new JsonFieldMapping(null, null, null, null, null);

  static final List<String> REMOTE_ADDRESS =
      List.of("remote_addr", "client_ip", "downstream_remote_address", "remote_ip");
  static final List<String> USER = List.of("remote_user", "user");
  static final List<String> TIME =
      List.of("time_iso8601", "time_local", "start_time", "timestamp", "@timestamp", "time");
  static final List<String> METHOD = List.of("request_method", "method");
  static final List<String> TARGET = List.of("request_uri", "path", "uri");
  static final List<String> REQUEST_LINE = List.of("request");
  static final List<String> STATUS = List.of("status", "response_code");
  static final List<String> REQUEST_ID = List.of("request_id", "x_request_id", "http_x_request_id");
  static final List<String> FORWARDED_FOR = List.of("http_x_forwarded_for", "x_forwarded_for");
  static final List<String> CLIENT_ID = List.of("client_id", "oauth_client_id");
  static final List<String> UPSTREAM_STATUS = List.of("upstream_status");
  static final List<String> AUTHORITY = List.of("authority", "host", "http_host", "server_name");

  static List<String> names(@Nullable String configured, List<String> wellKnown) {
    return configured == null ? wellKnown : List.of(configured);
  }
}
