package org.atnabridge.testing;

/**
 * A running single-node Elasticsearch with security off, reachable over plain HTTP on loopback.
 * Obtained from {@link ElasticsearchExtension}; the extension owns its lifecycle, so tests never
 * call {@link #close()}.
 */
public interface ElasticsearchNode extends AutoCloseable {

  /** Base URL without trailing slash, e.g. {@code http://127.0.0.1:41237}. */
  String url();

  /** How the node runs, for log lines: {@code "container"} or {@code "process"}. */
  String kind();

  /** Stops the node and waits until it is gone; idempotent. */
  @Override
  void close();
}
