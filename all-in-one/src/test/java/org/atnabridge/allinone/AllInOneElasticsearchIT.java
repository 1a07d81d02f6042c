package org.atnabridge.allinone;

import java.nio.file.Path;
import java.util.UUID;
import org.atnabridge.testing.ElasticsearchExtension;
import org.atnabridge.testing.ElasticsearchNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The same path with a real Elasticsearch node instead of Lucene, behind the pipeline's embedded
 * KRaft broker. Each test writes behind its own alias, so events other tests of this module
 * leave in the shared node never answer its searches.
 */
@ExtendWith(ElasticsearchExtension.class)
class AllInOneElasticsearchIT extends EndToEndContract {

  private String elasticsearch;

  @BeforeEach
  void fixtures(ElasticsearchNode es) {
    elasticsearch = es.url();
  }

  @Override
  PipelineConfig config(Path dataDir) {
    return new PipelineConfig(dataDir, "127.0.0.1", 0, "127.0.0.1", 0, 0, 0, null, elasticsearch, false,
        PipelineConfig.Ingest.defaults(), "e2e-" + UUID.randomUUID());
  }
}
