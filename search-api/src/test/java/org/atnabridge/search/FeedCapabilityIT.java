package org.atnabridge.search;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import java.nio.file.Path;
import java.util.List;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.testing.KafkaBrokerExtension;
import org.hl7.fhir.r5.model.CapabilityStatement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CapabilityStatement of a server as {@code serve} builds it (with the FHIR Feed): create joins
 * read and search; still no update, patch, delete, history or vread. The read-only case is in
 * {@link AbstractFhirSearchIT#metadata_declaresExactlyWhatWorks}.
 */
@ExtendWith(KafkaBrokerExtension.class)
class FeedCapabilityIT {

  @Test
  void metadata_withFeed_declaresReadSearchAndCreateOnly(
      EmbeddedKafkaBroker kafka, @TempDir Path indexDir) {
    try (FeedServer fixture = FeedServer.start(kafka, indexDir, List.of())) {
      Fhir.context()
          .getRestfulClientFactory()
          .setServerValidationMode(ServerValidationModeEnum.NEVER);
      CapabilityStatement cs =
          Fhir.context()
              .newRestfulGenericClient(fixture.server().baseUrl())
              .capabilities()
              .ofType(CapabilityStatement.class)
              .execute();

      var auditEvent =
          cs.getRestFirstRep().getResource().stream()
              .filter(r -> r.getType().equals("AuditEvent"))
              .findFirst()
              .orElseThrow();
      assertThat(auditEvent.getInteraction())
          .extracting(i -> i.getCode().toCode())
          .containsExactlyInAnyOrder("read", "search-type", "create");
      assertThat(auditEvent.getSearchParam())
          .extracting(p -> p.getName())
          .containsExactlyInAnyOrderElementsOf(AuditEventResourceProvider.SEARCH_PARAMETERS);
      assertThat(cs.getRestFirstRep().getInteraction())
          .extracting(i -> i.getCode().toCode())
          .doesNotContain("history-system");
      // no version unless configured, and never the library's
      assertThat(cs.getSoftware().hasVersion()).as(cs.getSoftware().getVersion()).isFalse();
    }
  }
}
