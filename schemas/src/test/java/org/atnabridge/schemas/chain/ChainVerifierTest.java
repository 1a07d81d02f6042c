package org.atnabridge.schemas.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.atnabridge.schemas.chain.ChainFinding.Kind;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Extension;
import org.hl7.fhir.r5.model.InstantType;
import org.junit.jupiter.api.Test;

/**
 * The chain rules {@link ChainVerifier} applies to windows by receipt time, pending tails and
 * checkpoints of another key, on events chained with {@link ChainHash} as the streams chain them.
 */
class ChainVerifierTest {

  private static final Instant RECEIVED = Instant.parse("2026-06-01T10:00:00Z");
  private static final Instant LONG_AGO = Instant.parse("2003-02-01T00:00:00Z");

  /**
   * Chain 0 of n events, recorded years before their receipt, received a second apart; event {@code
   * posted} has no receipt.
   */
  private static List<AuditEvent> chain(int n, int posted) {
    List<AuditEvent> out = new ArrayList<>();
    String prev = ChainHash.GENESIS;
    String prevId = null;
    for (int seq = 1; seq <= n; seq++) {
      AuditEvent e = new AuditEvent();
      e.setId("e" + seq);
      e.setRecorded(Date.from(LONG_AGO.plusSeconds(seq)));
      if (seq != posted) {
        Extension receipt = e.addExtension().setUrl(ReceiptTime.RAW_RECEIPT);
        receipt.addExtension(
            ReceiptTime.RECEIVED_AT, new InstantType(Date.from(RECEIVED.plusSeconds(seq))));
      }
      prev = ChainHash.chainAndEncode(e, 0, seq, prev, prevId, null, null).hash();
      prevId = e.getIdPart();
      out.add(e);
    }
    return out;
  }

  private static ChainReport verify(
      List<AuditEvent> stored,
      Instant from,
      Instant to,
      List<PendingTail> pending,
      Duration bound) {
    StoredChains chains = new StoredChains(stored);
    boolean window = from != null || to != null;
    List<AuditEvent> selected =
        stored.stream().filter(e -> !window || ReceiptTime.within(e, from, to)).toList();
    return ChainVerifier.verify(
        selected,
        List.of(),
        null,
        window,
        chains::byId,
        chains::at,
        pending,
        bound,
        RECEIVED.plusSeconds(3600));
  }

  @Test
  void window_selectsByReceiptNotRecorded_andReadsThePositionsItLeftOut() {
    // event 5 was posted (no receipt) and recorded in 2003: inside the window's positions all the
    // same
    List<AuditEvent> stored = chain(10, 5);
    ChainReport report =
        verify(
            stored,
            RECEIVED.plusSeconds(3),
            RECEIVED.plusSeconds(8),
            List.of(),
            ChainVerifier.DEFAULT_PENDING_BOUND);
    assertThat(report.findings()).isEmpty();
    assertThat(report.eventsChecked()).as("positions 3..7 and the predecessor 2").isEqualTo(6);
  }

  @Test
  void window_stillFindsADeletionInside() {
    List<AuditEvent> stored = new ArrayList<>(chain(10, -1));
    stored.remove(5); // seq 6
    ChainReport report =
        verify(
            stored,
            RECEIVED,
            RECEIVED.plusSeconds(60),
            List.of(),
            ChainVerifier.DEFAULT_PENDING_BOUND);
    assertThat(report.findings())
        .extracting(ChainFinding::toString)
        .containsExactly("GAP partition 0 seq 6: no stored event with this sequence number");
  }

  @Test
  void pending_numbersPastTheIndexedPositionAreNoGap_butAGapBeforeItIs() {
    List<AuditEvent> stored = new ArrayList<>(chain(10, -1));
    stored.subList(7, 10).clear(); // 8..10 not indexed yet
    ChainReport pendingOnly =
        verify(
            stored,
            null,
            null,
            List.of(new PendingTail(0, 7, 3, 10, RECEIVED.plusSeconds(8))),
            Duration.ofHours(2));
    assertThat(pendingOnly.findings()).isEmpty();
    assertThat(pendingOnly.pendingCount()).isEqualTo(3);
    assertThat(pendingOnly.oldestPendingReceipt()).isEqualTo(RECEIVED.plusSeconds(8));

    stored.remove(2); // seq 3, indexed before: deleted
    ChainReport deleted =
        verify(
            stored,
            null,
            null,
            List.of(new PendingTail(0, 7, 3, 10, RECEIVED.plusSeconds(8))),
            Duration.ofHours(2));
    assertThat(deleted.findings())
        .extracting(ChainFinding::toString)
        .containsExactly("GAP partition 0 seq 3: no stored event with this sequence number");
  }

  @Test
  void pending_nothingPending_checksTheWholeChain() {
    // the indexer caught up long ago and retention removed the records: no number is pending
    List<AuditEvent> stored = new ArrayList<>(chain(10, -1));
    stored.remove(8); // seq 9
    ChainReport report =
        verify(
            stored,
            null,
            null,
            List.of(PendingTail.none(0, 0)),
            ChainVerifier.DEFAULT_PENDING_BOUND);
    assertThat(report.findings())
        .extracting(ChainFinding::toString)
        .containsExactly("GAP partition 0 seq 9: no stored event with this sequence number");
    assertThat(report.pendingCount()).isZero();
  }

  @Test
  void pending_olderThanTheBound_isAFindingOfItsOwn() {
    List<AuditEvent> stored = new ArrayList<>(chain(10, -1));
    stored.subList(7, 10).clear();
    ChainReport report =
        verify(
            stored,
            null,
            null,
            List.of(new PendingTail(0, 7, 3, 10, RECEIVED.plusSeconds(8))),
            Duration.ofMinutes(5));
    assertThat(report.findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.kind()).isEqualTo(Kind.PENDING_OVERDUE);
              assertThat(f.fromSeq()).isEqualTo(8);
              assertThat(f.toSeq()).isEqualTo(10);
            });
  }

  @Test
  void checkpoints_ofAnotherKeyAreNamedSo_aForgedOneWithOurKeyIdIsABadSignature() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
    KeyPair ours = g.generateKeyPair();
    KeyPair theirs = g.generateKeyPair();
    List<AuditEvent> stored = chain(3, -1);
    String head = ChainLink.from(stored.get(2)).hash();
    Checkpoint other =
        Checkpoint.sign(0, 3, head, RECEIVED, theirs.getPrivate(), theirs.getPublic());
    Checkpoint forged =
        new Checkpoint(0, 3, head, RECEIVED, Checkpoint.keyId(ours.getPublic()), other.signature());
    ChainReport report =
        ChainVerifier.verify(
            stored, List.of(other, forged), ours.getPublic(), false, id -> Optional.empty());
    assertThat(report.findings())
        .extracting(ChainFinding::kind)
        .containsExactlyInAnyOrder(Kind.OTHER_KEY, Kind.BAD_SIGNATURE);
    assertThat(report.findings())
        .filteredOn(f -> f.kind() == Kind.OTHER_KEY)
        .singleElement()
        .satisfies(f -> assertThat(f.detail()).contains("signed by another instance's key"));
  }
}
