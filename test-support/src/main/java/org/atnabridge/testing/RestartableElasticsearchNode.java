package org.atnabridge.testing;

import java.time.Duration;

/**
 * A node a test owns alone and may stop and start again on the same data and port, for fault tests
 * ("Elasticsearch stopped mid-load"). Obtained from {@link
 * ElasticsearchExtension#startDedicated(Duration)}; the test closes it.
 */
public interface RestartableElasticsearchNode extends ElasticsearchNode {

  /** Stops the node (SIGTERM, waits until gone); data and port are kept. */
  void stop();

  /** Starts it again and waits until the cluster is yellow or green. */
  void restart(Duration timeout);
}
