package org.atnabridge.allinone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.atnabridge.testing.ElasticsearchExtension;
import org.atnabridge.testing.ElasticsearchNode;
import org.hl7.fhir.r5.model.AuditEvent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same path with a real Elasticsearch node instead of Lucene, behind the pipeline's embedded
 * KRaft broker. Each test writes behind its own alias, so events other tests of this module leave
 * in the shared node never answer its searches.
 */
@ExtendWith(ElasticsearchExtension.class)
class AllInOneElasticsearchIT extends EndToEndContract {

  private String elasticsearch;

  @BeforeEach
  void fixtures(ElasticsearchNode es) {
    elasticsearch = es.url();
  }

  /**
   * {@code --elasticsearch-shards 2 --elasticsearch-replicas 0 --elasticsearch-refresh-interval
   * 500ms}.
   */
  @Test
  void layoutOptions_shapeTheMonthlyIndices(@TempDir Path dataDir) throws Exception {
    String alias = "layout-" + UUID.randomUUID();
    PipelineConfig config =
        PipelineConfig.builder(dataDir)
            .http("127.0.0.1", 0)
            .syslog("127.0.0.1", 0, 0)
            .kafkaPort(0)
            .elasticsearch(elasticsearch, alias)
            .build();
    try (Pipeline p =
        new Pipeline(config, RetentionSettings.OFF, ElasticsearchLayout.parse("2", "0", "500ms"))
            .start()) {
      IGenericClient client = client(p, "system/AuditEvent.rs system/AuditEvent.c");
      String id =
          client
              .create()
              .resource(RetentionIT.event("layout", Instant.now()))
              .execute()
              .getId()
              .getIdPart();
      await()
          .atMost(Duration.ofSeconds(60))
          .ignoreExceptionsInstanceOf(ResourceNotFoundException.class)
          .until(() -> client.read().resource(AuditEvent.class).withId(id).execute() != null);
    }
    HttpResponse<String> settings =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(elasticsearch + "/" + alias + "/_settings?flat_settings=true"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(settings.statusCode()).as(settings.body()).isEqualTo(200);
    assertThat(settings.body())
        .contains(
            "\"index.number_of_shards\":\"2\"",
            "\"index.number_of_replicas\":\"0\"",
            "\"index.refresh_interval\":\"500ms\"");
  }

  @Override
  PipelineConfig config(Path dataDir) {
    return PipelineConfig.builder(dataDir)
        .http("127.0.0.1", 0)
        .syslog("127.0.0.1", 0, 0)
        .kafkaPort(0)
        .elasticsearch(elasticsearch, "e2e-" + UUID.randomUUID())
        .build();
  }
}
