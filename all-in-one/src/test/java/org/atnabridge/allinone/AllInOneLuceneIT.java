package org.atnabridge.allinone;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.atnabridge.schemas.RawRecordReference;
import org.atnabridge.testing.TestVectors;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Bundle;
import org.junit.jupiter.api.Test;

/** The product as {@code atna-bridge serve} runs it by default: embedded KRaft broker + Lucene. */
class AllInOneLuceneIT extends EndToEndContract {

  @Override
  PipelineConfig config(Path dataDir) {
    return PipelineConfig.builder(dataDir)
        .http("127.0.0.1", 0)
        .syslog("127.0.0.1", 0, 0)
        .kafkaPort(0)
        .build();
  }

  @Test
  void restart_keepsIndexedEvents_withoutDuplicates() {
    Pipeline first = start();
    byte[] message = AtnaTraffic.syslog5424(TestVectors.bytes(PIXFEED));
    AtnaTraffic.sendOctetCounted(first.syslogPort(), message);
    String query = "patient:identifier=" + PATIENT_SYSTEM + "|" + PATIENT_VALUE;
    AuditEvent indexed = (AuditEvent) awaitHits(first, query, 1).getEntryFirstRep().getResource();
    RawRecordReference firstRaw = RawRecordReference.from(indexed);
    assertThat(firstRaw).isNotNull();
    first.close();

    Pipeline second = start();
    Bundle afterRestart = search(second, query);
    assertThat(afterRestart.getTotal()).isEqualTo(1);
    assertPixFeed((AuditEvent) afterRestart.getEntryFirstRep().getResource());

    // a sender retrying the same message after the restart: a later receipt, dropped (first receipt
    // wins);
    // a new message sent after it from the same address (same partition, so processed after it)
    // marks
    // when the retry has been handled
    AtnaTraffic.sendOctetCounted(second.syslogPort(), message);
    AtnaTraffic.sendOctetCounted(
        second.syslogPort(),
        AtnaTraffic.syslog5424(
            new String(TestVectors.bytes(PIXFEED), java.nio.charset.StandardCharsets.UTF_8)
                .replace("2020-03-19T12:24:34.434Z", "2020-03-19T12:25:00.000Z")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    awaitHits(second, query, 2);
    AuditEvent current =
        client(second).read().resource(AuditEvent.class).withId(indexed.getIdPart()).execute();
    assertThat(RawRecordReference.from(current))
        .as("the first receipt stays the record")
        .isEqualTo(firstRaw);
  }
}
