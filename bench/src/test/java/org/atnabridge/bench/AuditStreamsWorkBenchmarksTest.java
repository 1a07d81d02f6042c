package org.atnabridge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.schemas.chain.ChainLink;
import org.hl7.fhir.r5.model.AuditEvent;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The work benchmark does the work the stream threads do, not less: its events are enriched from
 * the bench's reference rows, labelled and chained one after the other.
 */
class AuditStreamsWorkBenchmarksTest {

  private final Blackhole bh =
      new Blackhole(
          "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");

  @Test
  void convertEnrichChain_enrichesLabelsAndChainsEveryEvent() throws Exception {
    AuditStreamsWorkBenchmarks work = new AuditStreamsWorkBenchmarks();
    String first = new String(work.convertEnrichChain(bh), StandardCharsets.UTF_8);
    AuditEvent second =
        Fhir.auditEventFromJson(new String(work.convertEnrichChain(bh), StandardCharsets.UTF_8));

    // the practitioner, the patient and the audit source of the message are in the reference rows
    // (the source keeps the display it came with: enrichment never overwrites one)
    assertThat(first)
        .contains(
            "\"display\":\"Dr. Petra Keller\"",
            "\"display\":\"Hans Zimmermann\"",
            "\"observer\":{\"reference\":\"Device/mpi\"");
    assertThat(second.getMeta().getSecurity())
        .anySatisfy(c -> assertThat(c.getCode()).isEqualTo("R"));
    ChainLink link = java.util.Objects.requireNonNull(ChainLink.from(second));
    assertThat(link.seq()).isEqualTo(2);
    assertThat(link.prevId()).isEqualTo(Fhir.auditEventFromJson(first).getIdPart());
    assertThat(link.hash())
        .isEqualTo(org.atnabridge.schemas.chain.ChainHash.recompute(second, link));
    bh.evaporate("Yes, I am Stephen Hawking, and know a thing or two about black holes.");
  }
}
