package org.atnabridge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.store.internal.AuditEventDocument;
import org.atnabridge.store.internal.AuditEventJson;
import org.hl7.fhir.r5.model.AuditEvent;
import org.junit.jupiter.api.Test;

/**
 * The benchmark measures the store's JSON extraction ({@link AuditEventJson}); this checks that it
 * indexes the benchmark's events exactly as the HAPI extraction ({@link AuditEventDocument#from})
 * does, so the numbers are for the same documents.
 */
class SyntheticEventsExtractionTest {

  @Test
  void syntheticEvents_extractTheSameDocumentFromJsonAsFromHapi() {
    for (int k = 0; k < 3_000; k++) {
      int i = k < 2_000 ? k : k * 331; // the first ones and a spread up to ~1M
      AuditEvent e = StoreLoadBench.event(i);
      byte[] json = Fhir.toJsonBytes(e);
      AuditEventDocument fromJson = AuditEventJson.document(json);

      assertThat(fromJson).as("event %d", i).isEqualTo(AuditEventDocument.from(e));
      assertThat(fromJson)
          .as("event %d parsed back", i)
          .isEqualTo(
              AuditEventDocument.from(
                  Fhir.auditEventFromJson(new String(json, StandardCharsets.UTF_8))));
      assertThat(fromJson.keywords())
          .containsKeys("patient_identifier", "agent_identifier", "agent_name_norm");
    }
  }
}
