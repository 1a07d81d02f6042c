package org.atnabridge.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.store.elasticsearch.ElasticsearchAuditStore;
import org.atnabridge.testing.ElasticsearchExtension;
import org.atnabridge.testing.RestartableElasticsearchNode;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.Coding;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * FHIR searches while the Elasticsearch node is stopped, on a node this test owns: 503 with {@code
 * Retry-After} and an OperationOutcome that the store is unavailable (nothing of the cause), one
 * WARN line for the outage however many requests fail, no ERROR and no stack trace; and answers
 * again, with an INFO line, once the node is back.
 */
class StoreUnavailableIT {

  @Test
  void elasticsearchStopped_searchesAnswer503RetryAfter_oneWarnPerOutage_thenServeAgain()
      throws Exception {
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    try (RestartableElasticsearchNode es =
            ElasticsearchExtension.startDedicated(Duration.ofSeconds(180));
        ElasticsearchAuditStore store =
            ElasticsearchAuditStore.builder(es.url())
                .index("unavailable-it")
                .refreshImmediately(true)
                .build()
                .start()) {
      AuditEvent event = new AuditEvent();
      event.setId("u1");
      event.setRecorded(Date.from(Instant.parse("2026-12-01T10:00:00Z")));
      event.setCode(
          new CodeableConcept(
              new Coding(
                  "http://dicom.nema.org/resources/ontology/DCM", "110110", "Patient Record")));
      event.addAgent().getWho().setDisplay("someone");
      event.getSource().getObserver().setDisplay("observer");
      store.writer().write(List.of(event));
      SearchServer server =
          new SearchServer("127.0.0.1", 0, FhirServerFactory.create(store.search())).start();
      try {
        String search = server.baseUrl() + "/AuditEvent?date=2026-12-01";
        assertThat(get(search).statusCode()).isEqualTo(200);

        es.stop();
        root.addAppender(lines);
        for (int i = 0; i < 4; i++) {
          HttpResponse<String> r = get(i % 2 == 0 ? search : server.baseUrl() + "/AuditEvent/u1");
          assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
          assertThat(r.headers().firstValue("Retry-After")).contains("10");
          assertThat(r.body())
              .contains("\"resourceType\":\"OperationOutcome\"")
              .contains("\"code\":\"no-store\"")
              .contains("the audit store is unavailable")
              .doesNotContain("Exception", "lasticsearch", "127.0.0.1", "at org.", "Connect");
        }
        IGenericClient client = Fhir.context().newRestfulGenericClient(server.baseUrl());
        assertThatThrownBy(
                () ->
                    client
                        .search()
                        .forResource(AuditEvent.class)
                        .returnBundle(Bundle.class)
                        .execute())
            .isInstanceOfSatisfying(
                BaseServerResponseException.class,
                e -> assertThat(e.getStatusCode()).isEqualTo(503));

        assertThat(atLeast(lines, Level.WARN))
            .as("one WARN line for the whole outage")
            .singleElement()
            .satisfies(
                e -> {
                  assertThat(e.getLevel()).isEqualTo(Level.WARN);
                  assertThat(e.getFormattedMessage()).contains("unavailable");
                  assertThat(e.getThrowableProxy()).isNull();
                });

        es.restart(Duration.ofSeconds(180));
        HttpResponse<String> back = get(search);
        assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
        assertThat(back.body()).contains("\"id\":\"u1\"");
        assertThat(atLeast(lines, Level.WARN)).hasSize(1);
        assertThat(
                lines.list.stream()
                    .filter(e -> e.getLevel() == Level.INFO)
                    .map(ILoggingEvent::getFormattedMessage)
                    .filter(m -> m.contains("answers searches again"))
                    .toList())
            .singleElement()
            .asString()
            .contains("5 reads failed");
      } finally {
        root.detachAppender(lines);
        server.close();
      }
    }
  }

  private static List<ILoggingEvent> atLeast(ListAppender<ILoggingEvent> lines, Level level) {
    synchronized (lines.list) {
      return lines.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(level)).toList();
    }
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Accept", "application/fhir+json")
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
