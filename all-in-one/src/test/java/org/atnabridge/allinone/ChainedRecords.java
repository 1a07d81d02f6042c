package org.atnabridge.allinone;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.atnabridge.schemas.Topics;
import org.atnabridge.testing.TopicReaders;
import org.hl7.fhir.r5.model.AuditEvent;

/** What the verify tests read besides the command: the chained events and plain HTTP answers. */
final class ChainedRecords {

  private ChainedRecords() {}

  /** Every committed event of {@code audit.enriched}, from the start to the current end. */
  static List<AuditEvent> enriched(String bootstrap) {
    List<AuditEvent> out = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : committed(bootstrap, Topics.AUDIT_ENRICHED.name())) {
      out.add(Topics.AUDIT_ENRICHED.valueSerde().deserializer().deserialize(r.topic(), r.value()));
    }
    return out;
  }

  /** Every committed record of {@code topic}, from the start to the current end. */
  static List<ConsumerRecord<byte[], byte[]>> committed(String bootstrap, String topic) {
    return TopicReaders.committed(bootstrap, topic);
  }

  static HttpResponse<String> send(HttpRequest request) {
    try {
      return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
