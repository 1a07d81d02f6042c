package org.atnabridge.allinone;

import java.nio.file.Path;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.testing.ElasticsearchExtension;
import org.atnabridge.testing.ElasticsearchNode;
import org.atnabridge.testing.KafkaBrokerExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The same path as a scaled deployment runs it: an external Kafka (the test broker) and a real
 * Elasticsearch node instead of the embedded broker and Lucene.
 */
@ExtendWith({KafkaBrokerExtension.class, ElasticsearchExtension.class})
class AllInOneElasticsearchIT extends EndToEndContract {

  private String bootstrap;
  private String elasticsearch;

  @BeforeEach
  void fixtures(EmbeddedKafkaBroker kafka, ElasticsearchNode es) {
    bootstrap = kafka.bootstrapServers();
    elasticsearch = es.url();
  }

  @Override
  PipelineConfig config(Path dataDir) {
    return new PipelineConfig(dataDir, "127.0.0.1", 0, "127.0.0.1", 0, 0, 0, bootstrap, elasticsearch, false);
  }
}
