package org.atnabridge.streams.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.atnabridge.atna.AtnaConverter;
import org.atnabridge.atna.ConversionException;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.schemas.RawMetadata;
import org.atnabridge.schemas.chain.ChainHash;
import org.atnabridge.schemas.chain.ChainLink;
import org.atnabridge.schemas.vocab.CodeSystems;
import org.atnabridge.streams.Samples;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Narrative;
import org.junit.jupiter.api.Test;

/**
 * {@link ChainHash#chainAndEncode} (one encode, the canonical form hashed in place, the hash
 * patched into the bytes) gives exactly what the definition gives: {@link ChainHash#compute} on the
 * event, then the chain extension set, then the event encoded. Over every event converted from the
 * shared corpus, as converted and in the shapes that reach the other code paths.
 */
class ChainHashEncodingTest {

  private static final String PREV = "ab".repeat(32);

  @Test
  void chainAndEncode_equalsComputeThenEncode_overTheCorpusAndEveryShape() throws Exception {
    List<UnaryOperator<AuditEvent>> shapes =
        List.of(
            e -> e,
            e -> {
              e.getExtension().clear();
              return e;
            }, // the chain link is the only extension
            e -> {
              e.getAgentFirstRep().getWho().setDisplay("Dr. Zoë Müller-Łukasiewicz 医生 🩺");
              return e;
            },
            e -> {
              e.getText()
                  .setStatus(Narrative.NarrativeStatus.GENERATED)
                  .setDivAsString("<div>x</div>");
              return e;
            },
            e -> {
              e.getMeta()
                  .setVersionId("3")
                  .setLastUpdated(java.util.Date.from(Instant.parse("2026-01-01T00:00:00Z")));
              return e;
            },
            e -> {
              e.getMeta()
                  .addSecurity(
                      new org.hl7.fhir.r5.model.Coding(CodeSystems.V3_CONFIDENTIALITY, "R", null));
              return e;
            });
    int checked = 0;
    for (AuditEvent converted : corpusEvents()) {
      for (UnaryOperator<AuditEvent> shape : shapes) {
        for (int variant = 0; variant < 2; variant++) {
          String prevId = variant == 0 ? null : "prev-" + checked;
          Long replacesSeq = variant == 0 ? null : 7L;
          String replacesHash = variant == 0 ? null : "cd".repeat(32);
          AuditEvent fast = shape.apply(converted.copy());
          AuditEvent slow = shape.apply(converted.copy());

          ChainHash.Chained chained =
              ChainHash.chainAndEncode(
                  fast, 2, 41 + checked, PREV, prevId, replacesSeq, replacesHash);
          String hash =
              ChainHash.compute(slow, 2, 41 + checked, PREV, prevId, replacesSeq, replacesHash);
          new ChainLink(2, 41 + checked, PREV, hash, prevId, replacesSeq, replacesHash)
              .applyTo(slow);

          assertThat(chained.hash()).isEqualTo(hash);
          assertThat(new String(chained.json(), StandardCharsets.UTF_8))
              .isEqualTo(Fhir.toJson(slow));
          AuditEvent read =
              Fhir.auditEventFromJson(new String(chained.json(), StandardCharsets.UTF_8));
          assertThat(ChainHash.recompute(read, ChainLink.from(read))).isEqualTo(hash);
          checked++;
        }
      }
    }
    assertThat(checked).isGreaterThan(500);
  }

  static List<AuditEvent> corpusEvents() throws Exception {
    AtnaConverter converter = new AtnaConverter();
    RawMetadata metadata =
        new RawMetadata(
            "tcp", "10.1.2.3:4000", Instant.parse("2026-01-01T00:00:00Z"), "syslog-tcp:5514");
    List<AuditEvent> out = new ArrayList<>();
    for (byte[] message : Samples.corpus()) {
      try {
        out.addAll(converter.convert(message, metadata));
      } catch (ConversionException e) {
        // the corpus holds messages that are meant to fail conversion
      }
    }
    return out;
  }
}
