package org.atnabridge.allinone;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.atnabridge.search.feed.RequestBodyGate;
import org.jspecify.annotations.Nullable;

/** The checks of {@link PipelineConfig}, each message naming the {@code serve} option. */
final class PipelineChecks {

  private PipelineChecks() {}

  static void elasticsearchIndex(@Nullable String elasticsearchIndex) {
    if (elasticsearchIndex == null || !elasticsearchIndex.matches("[a-z0-9][a-z0-9._-]{0,200}")) {
      throw new IllegalArgumentException(
          "--elasticsearch-index must be lower-case letters, digits, '.', '_' or '-', "
              + "starting with a letter or digit, got: "
              + elasticsearchIndex);
    }
  }

  static void maxRequestBytes(long maxRequestBytes) {
    if (maxRequestBytes < RequestBodyGate.MIN_MAX_REQUEST_BYTES
        || maxRequestBytes > RequestBodyGate.MAX_MAX_REQUEST_BYTES) {
      throw new IllegalArgumentException(
          "--max-request-bytes must be "
              + RequestBodyGate.MIN_MAX_REQUEST_BYTES
              + ".."
              + RequestBodyGate.MAX_MAX_REQUEST_BYTES
              + ", got: "
              + maxRequestBytes);
    }
  }

  /**
   * A list of syslog tags or query parameter names: each 1-48 of letters, digits, '.', '_', '-'
   * (RFC 5424 APP-NAME is at most 48 printable octets), lower-cased for parameter matching.
   */
  static java.util.List<String> accessLogNames(String option, java.util.List<String> names) {
    java.util.List<String> out = new java.util.ArrayList<>();
    for (String name : names) {
      String n = name.trim();
      if (n.isEmpty()) {
        continue;
      }
      if (!n.matches("[A-Za-z0-9._-]{1,48}")) {
        throw new IllegalArgumentException(
            option + ": '" + n + "' is not a name (letters, digits, '.', '_', '-'; at most 48)");
      }
      out.add(n);
    }
    return java.util.List.copyOf(out);
  }

  static void readyMaxLag(long readyMaxLag) {
    if (readyMaxLag < 0) {
      throw new IllegalArgumentException("--ready-max-lag must be 0 or more, got: " + readyMaxLag);
    }
  }

  /**
   * The node URL, or several comma-separated (a cluster, so that a service outlives the node it
   * talked to), each trimmed and one scheme for all; null when blank.
   */
  static @Nullable String elasticsearchUrl(@Nullable String url) {
    String given = blankToNull(url);
    if (given == null) {
      return null;
    }
    java.util.List<String> nodes = new java.util.ArrayList<>();
    for (String part : given.split(",", -1)) {
      String node = part.strip();
      if (!node.matches("https?://[^\\s/,]+(:\\d+)?/?")) {
        throw new IllegalArgumentException(
            "--elasticsearch-url must look like http://host:9200 or, for a cluster, "
                + "https://es1:9200,https://es2:9200, got: "
                + given);
      }
      nodes.add(node);
    }
    if (nodes.stream().map(n -> n.substring(0, n.indexOf(':'))).distinct().count() > 1) {
      throw new IllegalArgumentException(
          "--elasticsearch-url: every node must use the same scheme (all http or all https), got: "
              + given);
    }
    return String.join(",", nodes);
  }

  /** The bootstrap list trimmed, or null when blank. */
  static @Nullable String kafkaBootstrap(@Nullable String bootstrap) {
    String kafkaBootstrap = blankToNull(bootstrap);
    if (kafkaBootstrap != null && !kafkaBootstrap.matches("[^\\s,]+:\\d+(,[^\\s,]+:\\d+)*")) {
      throw new IllegalArgumentException(
          "--kafka-bootstrap must be host:port[,host:port...], got: " + kafkaBootstrap);
    }
    return kafkaBootstrap;
  }

  static void unauthenticatedOnlyOnLoopback(
      ApiConfig api, boolean allowRemoteUnauthenticated, String httpHost) {
    if (api.allowUnauthenticated() && !allowRemoteUnauthenticated && !isLoopback(httpHost)) {
      throw new IllegalArgumentException(
          "--http-host "
              + httpHost
              + " is not a loopback address: with "
              + "--dev-allow-unauthenticated the FHIR API only serves this machine unless "
              + "--dev-allow-unauthenticated-remote is given too");
    }
  }

  static void port(String option, int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(option + " must be 0..65535, got: " + port);
    }
  }

  private static @Nullable String blankToNull(@Nullable String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("--http-host cannot be resolved: " + host);
    }
  }
}
