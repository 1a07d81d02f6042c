package org.atnabridge.streams.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.schemas.chain.ChainHash;
import org.atnabridge.schemas.chain.ChainLink;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Coding;
import org.junit.jupiter.api.Test;

/**
 * {@link StoredTime#add} gives exactly HAPI's encoding of the event with {@code meta.lastUpdated}
 * set, over every event converted from the shared corpus, chained as the chain step chains them, in
 * the meta shapes enrichment and the feed produce; and the chain hash is the same with and without
 * the element.
 */
class StoredTimeTest {

  private static final Instant AT = Instant.parse("2026-12-06T14:21:26.123Z");
  private static final String PREV = "ab".repeat(32);

  @Test
  void add_equalsHapisEncoding_andLeavesTheHashAlone_overTheCorpusAndEveryMetaShape()
      throws Exception {
    List<UnaryOperator<AuditEvent>> shapes =
        List.of(
            e -> e,
            e -> {
              e.getMeta()
                  .addSecurity(
                      new Coding(
                          "http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "R", null));
              return e;
            },
            e -> {
              e.getMeta().addTag(new Coding("urn:t", "x", null)).addProfile("http://example.org/p");
              return e;
            },
            e -> {
              e.getMeta().setSource("client-1");
              return e;
            },
            e -> {
              e.getMeta().setVersionId("2");
              return e;
            }); // not a shape stamp knows: encoded afresh
    int inPlace = 0;
    int checked = 0;
    for (AuditEvent converted : ChainHashEncodingTest.corpusEvents()) {
      for (UnaryOperator<AuditEvent> shape : shapes) {
        AuditEvent event = shape.apply(converted.copy());
        ChainHash.Chained chained = ChainHash.chainAndEncode(event, 1, 7, PREV, null, null, null);
        byte[] before = chained.json();
        if (StoredTime.stamp(before, event.getIdElement().getIdPart(), "2026-12-06T14:21:26.123Z")
            != null) {
          inPlace++;
        }

        byte[] json = StoredTime.add(event, before, AT);

        assertThat(new String(json, StandardCharsets.UTF_8)).isEqualTo(Fhir.toJson(event));
        AuditEvent read = Fhir.auditEventFromJson(new String(json, StandardCharsets.UTF_8));
        assertThat(read.getMeta().getLastUpdated().toInstant()).isEqualTo(AT);
        assertThat(read.getMeta().getLastUpdatedElement().getValueAsString())
            .isEqualTo("2026-12-06T14:21:26.123Z");
        assertThat(ChainHash.recompute(read, ChainLink.from(read))).isEqualTo(chained.hash());
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(200);
    assertThat(inPlace)
        .as("events stamped in place")
        .isEqualTo(checked / shapes.size() * (shapes.size() - 1));
  }

  @Test
  void replace_setsTheStoredTimeOnlyWhereOneIsCarried() {
    AuditEvent posted = new AuditEvent();
    posted.getMeta().setLastUpdated(java.util.Date.from(Instant.parse("2026-01-01T00:00:00Z")));
    assertThat(StoredTime.replace(posted, AT)).isTrue();
    assertThat(posted.getMeta().getLastUpdated().toInstant()).isEqualTo(AT);

    AuditEvent converted = new AuditEvent();
    assertThat(StoredTime.replace(converted, AT)).isFalse();
    assertThat(converted.getMeta().hasLastUpdated()).isFalse();
  }
}
