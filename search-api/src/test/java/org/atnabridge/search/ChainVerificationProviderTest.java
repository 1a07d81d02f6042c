package org.atnabridge.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.atnabridge.schemas.chain.ChainHash;
import org.atnabridge.schemas.chain.ChainVerifier;
import org.atnabridge.schemas.chain.ReceiptTime;
import org.atnabridge.store.AuditEventSearch;
import org.atnabridge.store.AuditPage;
import org.atnabridge.store.AuditQuery;
import org.atnabridge.store.AuditStore;
import org.atnabridge.store.AuditStores;
import org.atnabridge.store.Criterion;
import org.atnabridge.store.SearchField;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.BooleanType;
import org.hl7.fhir.r5.model.DateTimeType;
import org.hl7.fhir.r5.model.Extension;
import org.hl7.fhir.r5.model.InstantType;
import org.hl7.fhir.r5.model.Parameters;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code $verify} against a real Lucene store: the window is selected on the indexed receipt time
 * (only its events are read), positions it left out are read by their chain fields, a window over
 * the limit is refused with 422, identical concurrent requests share one check and a node runs at
 * most its number of checks at once.
 */
class ChainVerificationProviderTest {

  private static final Instant RECORDED = Instant.parse("2020-01-01T00:00:00Z");
  private static final Instant RECEIVED = Instant.parse("2026-06-01T00:00:00Z");
  private static final int N = 40;

  @TempDir Path dir;
  private AuditStore store;

  @BeforeEach
  void open() {
    store = AuditStores.lucene(dir);
    store.writer().write(chain(N, 17));
  }

  @AfterEach
  void close() throws Exception {
    store.close();
  }

  /**
   * A chain of n events, received one per second from RECEIVED (recorded long before, by the
   * senders' clocks), except {@code late}, received a day later: a window around it leaves it out.
   */
  private static List<AuditEvent> chain(int n, int late) {
    List<AuditEvent> out = new ArrayList<>();
    String prev = ChainHash.GENESIS;
    String prevId = null;
    for (int seq = 1; seq <= n; seq++) {
      AuditEvent e = new AuditEvent();
      e.setId("e" + seq);
      e.setRecorded(Date.from(RECORDED.plusSeconds(seq)));
      Extension receipt = e.addExtension().setUrl(ReceiptTime.RAW_RECEIPT);
      Instant at = seq == late ? RECEIVED.plus(Duration.ofDays(1)) : RECEIVED.plusSeconds(seq);
      receipt.addExtension(ReceiptTime.RECEIVED_AT, new InstantType(Date.from(at)));
      prev = ChainHash.chainAndEncode(e, 0, seq, prev, prevId, null, null).hash();
      prevId = e.getIdPart();
      out.add(e);
    }
    return out;
  }

  /** The store, counting the events its searches return and blocking window reads on demand. */
  private final class Counting implements AuditEventSearch {
    final AtomicInteger returned = new AtomicInteger();
    final AtomicInteger windowReads = new AtomicInteger();
    volatile @Nullable CountDownLatch entered;
    volatile @Nullable CountDownLatch release;

    @Override
    public Optional<AuditEvent> read(String id) {
      Optional<AuditEvent> e = store.search().read(id);
      returned.addAndGet(e.isPresent() ? 1 : 0);
      return e;
    }

    @Override
    public AuditPage search(AuditQuery query) {
      boolean window =
          query.limit() > 0
              && query.criteria().stream()
                  .anyMatch(
                      c -> c instanceof Criterion.Date d && d.field() == SearchField.RECEIVED);
      if (window) {
        windowReads.incrementAndGet();
        CountDownLatch in = entered;
        CountDownLatch out = release;
        if (in != null && out != null) {
          in.countDown();
          try {
            out.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }
      AuditPage page = store.search().search(query);
      returned.addAndGet(page.events().size());
      return page;
    }
  }

  private static Parameters verify(ChainVerificationProvider p, Instant from, Instant to) {
    return p.verify(new DateTimeType(Date.from(from)), new DateTimeType(Date.from(to)), null);
  }

  private static Object value(Parameters p, String name) {
    return p.getParameter(name).getValue().primitiveValue();
  }

  @Test
  void window_readsItsOwnEventsOnly_andTheLeftOutPositionsByChainFields() {
    Counting search = new Counting();
    ChainVerificationProvider provider = new ChainVerificationProvider(search);

    // seq 10..24 received in the window except seq 17 (received a day later)
    Parameters r = verify(provider, RECEIVED.plusSeconds(10), RECEIVED.plusSeconds(25));

    assertThat(((BooleanType) r.getParameter("intact").getValue()).booleanValue())
        .as(r.getParameter().toString())
        .isTrue();
    assertThat(r.getParameter().stream().filter(p -> p.getName().equals("finding"))).isEmpty();
    // 14 selected, seq 17 by position, seq 9 (the first one's predecessor) by id
    assertThat(value(r, "eventsChecked")).isEqualTo("16");
    assertThat(search.returned.get()).isEqualTo(16).isLessThan(N);
  }

  @Test
  void windowWithAMissingPosition_isAGap() {
    try (AuditStore gapped = AuditStores.lucene(dir.resolve("gapped"))) {
      gapped
          .writer()
          .write(chain(N, 17).stream().filter(e -> !e.getIdPart().equals("e20")).toList());
      ChainVerificationProvider provider = new ChainVerificationProvider(gapped.search());

      Parameters r = verify(provider, RECEIVED.plusSeconds(10), RECEIVED.plusSeconds(25));

      assertThat(((BooleanType) r.getParameter("intact").getValue()).booleanValue()).isFalse();
      List<String> findings =
          r.getParameter().stream()
              .filter(p -> p.getName().equals("finding"))
              .map(p -> part(p, "kind") + " " + part(p, "fromSeq"))
              .toList();
      assertThat(findings).containsExactly("GAP 20");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static String part(Parameters.ParametersParameterComponent p, String name) {
    return p.getPart().stream()
        .filter(x -> x.getName().equals(name))
        .findFirst()
        .orElseThrow()
        .getValue()
        .primitiveValue();
  }

  @Test
  void windowOverTheLimit_is422TooCostly_namingItsSize() {
    ChainVerificationProvider provider =
        new ChainVerificationProvider(
            store.search(),
            List::of,
            null,
            List::of,
            ChainVerifier.DEFAULT_PENDING_BOUND,
            Duration::parse,
            VerifyLimits.DEFAULTS.withMaxEvents(10));

    assertThatThrownBy(() -> verify(provider, RECEIVED, RECEIVED.plusSeconds(30)))
        .isInstanceOfSatisfying(
            BaseServerResponseException.class,
            e -> {
              assertThat(e.getStatusCode()).isEqualTo(422);
              // seq 1..29 but 17
              assertThat(e.getMessage()).startsWith("window holds 28 events; narrow it");
            });
    // a window within the limit is checked
    assertThat(verify(provider, RECEIVED, RECEIVED.plusSeconds(8)).getParameter("intact"))
        .isNotNull();
  }

  @Test
  void limits_areValidated_namingTheOption() {
    assertThatThrownBy(() -> VerifyLimits.DEFAULTS.withMaxEvents(0))
        .hasMessageContaining("--verify-max-events");
    assertThatThrownBy(() -> VerifyLimits.DEFAULTS.withConcurrent(0))
        .hasMessageContaining("--verify-concurrency");
  }

  @Test
  void identicalConcurrentRequests_shareOneCheck() throws Exception {
    Counting search = new Counting();
    ChainVerificationProvider provider = new ChainVerificationProvider(search);
    search.entered = new CountDownLatch(1);
    search.release = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<Parameters> first =
          pool.submit(() -> verify(provider, RECEIVED, RECEIVED.plusSeconds(30)));
      search.entered.await();
      search.entered = null; // later window reads pass
      Thread[] second = new Thread[1];
      Future<Parameters> again =
          pool.submit(
              () -> {
                second[0] = Thread.currentThread();
                return verify(provider, RECEIVED, RECEIVED.plusSeconds(30));
              });
      // the second request waits for the first's answer (parked on it), reading nothing itself
      while (second[0] == null || second[0].getState() != Thread.State.WAITING) {
        Thread.onSpinWait();
      }
      int readsBefore = search.windowReads.get();
      search.release.countDown();

      assertThat(again.get().equalsDeep(first.get())).isTrue();
      assertThat(value(first.get(), "intact")).isEqualTo("true");
      assertThat(readsBefore).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aSecondCheckBeyondTheConcurrency_is503WhenItsWaitRunsOut() throws Exception {
    Counting search = new Counting();
    ChainVerificationProvider provider =
        new ChainVerificationProvider(
            search,
            List::of,
            null,
            List::of,
            ChainVerifier.DEFAULT_PENDING_BOUND,
            Duration::parse,
            new VerifyLimits(1000, 1, Duration.ZERO));
    search.entered = new CountDownLatch(1);
    search.release = new CountDownLatch(1);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<Parameters> first =
          pool.submit(() -> verify(provider, RECEIVED, RECEIVED.plusSeconds(30)));
      search.entered.await();
      search.entered = null;

      assertThatThrownBy(() -> verify(provider, RECEIVED, RECEIVED.plusSeconds(20)))
          .isInstanceOfSatisfying(
              BaseServerResponseException.class, e -> assertThat(e.getStatusCode()).isEqualTo(503));
      search.release.countDown();
      assertThat(value(first.get(), "intact")).isEqualTo("true");
      // its turn released: the next check runs
      assertThat(value(verify(provider, RECEIVED, RECEIVED.plusSeconds(20)), "intact"))
          .isEqualTo("true");
    } finally {
      pool.shutdownNow();
    }
  }
}
