package org.atnabridge.allinone;

import picocli.CommandLine.Option;

/** Where events are stored and how long: {@code serve}, {@code indexer} and {@code api}. */
final class StoreOptions {

  @Option(
      names = "--elasticsearch-url",
      defaultValue = "${env:ATNA_ELASTICSEARCH_URL:-}",
      description =
          "Use this Elasticsearch instead of the embedded Lucene index: http(s)://host:port, or "
              + "several nodes of a cluster comma-separated, one scheme for all "
              + "(env ATNA_ELASTICSEARCH_URL).")
  String elasticsearchUrl;

  @Option(
      names = "--elasticsearch-index",
      defaultValue = "${env:ATNA_ELASTICSEARCH_INDEX:-audit-events}",
      description =
          "Alias the Elasticsearch store writes behind, monthly indices <alias>.yyyy-MM "
              + "(env ATNA_ELASTICSEARCH_INDEX; default ${DEFAULT-VALUE}).")
  String elasticsearchIndex;

  @Option(
      names = "--elasticsearch-shards",
      defaultValue = "${env:ATNA_ELASTICSEARCH_SHARDS:-1}",
      description =
          "Primary shards per monthly index (env ATNA_ELASTICSEARCH_SHARDS; default ${DEFAULT-VALUE}).")
  String elasticsearchShards;

  @Option(
      names = "--elasticsearch-replicas",
      defaultValue = "${env:ATNA_ELASTICSEARCH_REPLICAS:-auto}",
      description =
          "Replicas per shard, or auto (0 on one node, 1 once a second node joins) "
              + "(env ATNA_ELASTICSEARCH_REPLICAS; default ${DEFAULT-VALUE}).")
  String elasticsearchReplicas;

  @Option(
      names = "--elasticsearch-refresh-interval",
      defaultValue = "${env:ATNA_ELASTICSEARCH_REFRESH_INTERVAL:-1s}",
      converter = DurationConverter.class,
      description =
          "How soon an indexed event is searchable, 1ms..1s (env ATNA_ELASTICSEARCH_REFRESH_INTERVAL; "
              + "default ${DEFAULT-VALUE}).")
  java.time.Duration elasticsearchRefreshInterval;

  @Option(
      names = "--elasticsearch-ca",
      defaultValue = "${env:ATNA_ELASTICSEARCH_CA:-}",
      description =
          "PEM file (or directory) of the CA certificates the cluster's HTTPS certificate chains to "
              + "(env ATNA_ELASTICSEARCH_CA; default: the JDK's trust store).")
  String elasticsearchCa;

  @Option(
      names = "--elasticsearch-api-key",
      defaultValue = "${env:ATNA_ELASTICSEARCH_API_KEY:-}",
      description =
          "Encoded Elasticsearch API key, or @FILE to read it from a file (env "
              + "ATNA_ELASTICSEARCH_API_KEY). Prefer @FILE or the environment: a command line is "
              + "visible to other users of the machine.")
  String elasticsearchApiKey;

  @Option(
      names = "--elasticsearch-user",
      defaultValue = "${env:ATNA_ELASTICSEARCH_USER:-}",
      description =
          "User of HTTP Basic authentication, with --elasticsearch-password-file "
              + "(env ATNA_ELASTICSEARCH_USER).")
  String elasticsearchUser;

  @Option(
      names = "--elasticsearch-password-file",
      defaultValue = "${env:ATNA_ELASTICSEARCH_PASSWORD_FILE:-}",
      description =
          "File holding the password of --elasticsearch-user (one line; env "
              + "ATNA_ELASTICSEARCH_PASSWORD_FILE).")
  String elasticsearchPasswordFile;

  PipelineConfig.Builder applyTo(PipelineConfig.Builder config) {
    return config.elasticsearch(elasticsearchUrl, elasticsearchIndex);
  }

  ElasticsearchLayout layout() {
    long ms = elasticsearchRefreshInterval.toMillis(); // Elasticsearch's own notation: 1s, 500ms
    return ElasticsearchLayout.parse(
            elasticsearchShards,
            elasticsearchReplicas,
            ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms")
        .with(
            ElasticsearchAccess.credentials(
                elasticsearchUrl,
                elasticsearchCa,
                elasticsearchApiKey,
                elasticsearchUser,
                elasticsearchPasswordFile));
  }
}
