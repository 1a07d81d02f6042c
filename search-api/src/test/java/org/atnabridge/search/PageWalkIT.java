package org.atnabridge.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.store.AuditStore;
import org.atnabridge.store.AuditStores;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Bundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stateless paging at scale: 10,000 events walked page by page, every link followed on the other of
 * two server instances, while a writer keeps indexing new events into the same store. The order is
 * the default (recorded descending, id ascending on ties; half the events share their millisecond
 * with another), so new events sort before the walk's cursor and must neither repeat nor hide any
 * walked event.
 */
class PageWalkIT {

  private static final String OID = "urn:oid:1.2.3.4";
  private static final int EVENTS = 10_000;
  private static final int PAGE = 500;
  private static final Instant T0 = Instant.parse("2025-06-01T00:00:00Z");

  @Test
  void pageWalk_returnsEachEventOnce_whileEventsArrive_andPreviousLinksWalkBackThroughTheSamePages(
      @TempDir Path indexDir) throws Exception {
    try (AuditStore store = AuditStores.lucene(indexDir);
        SearchServer a =
            new SearchServer("127.0.0.1", 0, FhirServerFactory.create(store.search())).start();
        SearchServer b =
            new SearchServer("127.0.0.1", 0, FhirServerFactory.create(store.search())).start()) {
      List<AuditEvent> walked = new ArrayList<>();
      for (int i = 0; i < EVENTS; i++) {
        // pairs share a millisecond: w-00000/w-00001 at T0, w-00002/w-00003 at T0+1s, ...
        walked.add(
            AbstractFhirSearchIT.event(
                String.format("w-%05d", i), T0.plusSeconds(i / 2).toString(), OID, "WALK", null));
      }
      store.writer().write(walked);
      Fhir.context()
          .getRestfulClientFactory()
          .setServerValidationMode(ServerValidationModeEnum.NEVER);
      IGenericClient clientA = Fhir.context().newRestfulGenericClient(a.baseUrl());

      // above the maximum page size, a page is clamped to it
      assertThat(
              clientA
                  .search()
                  .byUrl("AuditEvent?patient.identifier=" + OID + "|WALK&_count=5000")
                  .returnBundle(Bundle.class)
                  .execute()
                  .getEntry())
          .hasSize(FhirServerFactory.MAX_PAGE_SIZE);

      AtomicBoolean stop = new AtomicBoolean();
      AtomicInteger arrived = new AtomicInteger();
      AtomicReference<Throwable> writerFailure = new AtomicReference<>();
      Thread writer =
          new Thread(
              () -> {
                try {
                  while (!stop.get()) {
                    int n = arrived.getAndAdd(20);
                    List<AuditEvent> batch = new ArrayList<>();
                    for (int i = n; i < n + 20; i++) {
                      // newer events of the walked patient, and events of another patient inside
                      // the walked period
                      batch.add(
                          AbstractFhirSearchIT.event(
                              String.format("new-%06d", i),
                              T0.plusSeconds(EVENTS).plusMillis(i).toString(),
                              OID,
                              "WALK",
                              null));
                      batch.add(
                          AbstractFhirSearchIT.event(
                              String.format("other-%06d", i),
                              T0.plusSeconds(i % (EVENTS / 2)).toString(),
                              OID,
                              "OTHER",
                              null));
                    }
                    store.writer().write(batch);
                    Thread.sleep(2);
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                } catch (Throwable t) {
                  writerFailure.set(t);
                }
              },
              "concurrent-writer");
      writer.start();
      try {
        // the walk starts with the writer already under way
        await().atMost(Duration.ofSeconds(30)).until(() -> arrived.get() >= 100);
        List<Bundle> forward = new ArrayList<>();
        Bundle page =
            clientA
                .search()
                .byUrl("AuditEvent?patient.identifier=" + OID + "|WALK&_count=" + PAGE)
                .returnBundle(Bundle.class)
                .execute();
        forward.add(page);
        while (page.getLink(Bundle.LINK_NEXT) != null) {
          page = follow(page.getLink(Bundle.LINK_NEXT).getUrl(), forward.size(), a, b);
          forward.add(page);
        }
        List<String> seen = new ArrayList<>();
        forward.forEach(p -> seen.addAll(AbstractFhirSearchIT.matches(p)));
        assertThat(seen).doesNotHaveDuplicates();
        List<String> walkedSeen = seen.stream().filter(id -> id.startsWith("w-")).toList();
        assertThat(walkedSeen).hasSize(EVENTS);
        assertThat(new HashSet<>(walkedSeen)).hasSize(EVENTS);
        assertThat(walkedSeen).containsExactlyElementsOf(expectedDescending());
        // new events sort before the cursor: only the first page can hold any
        assertThat(seen.subList(PAGE, seen.size())).allMatch(id -> id.startsWith("w-"));

        List<Bundle> backward = new ArrayList<>();
        backward.add(page);
        while (page.getLink(Bundle.LINK_PREV) != null && backward.size() < forward.size()) {
          page = follow(page.getLink(Bundle.LINK_PREV).getUrl(), backward.size(), a, b);
          backward.add(0, page);
        }
        assertThat(backward).hasSameSizeAs(forward);
        for (int i = 0; i < forward.size(); i++) {
          assertThat(AbstractFhirSearchIT.matches(backward.get(i)))
              .as("page %d", i)
              .isEqualTo(AbstractFhirSearchIT.matches(forward.get(i)));
        }
      } finally {
        stop.set(true);
        writer.join();
      }
      assertThat(writerFailure.get()).isNull();
      assertThat(arrived.get()).isGreaterThan(100);
    }
  }

  /**
   * w-09998 and w-09999 first (they share the newest millisecond); within a shared millisecond the
   * smaller id first.
   */
  private static List<String> expectedDescending() {
    List<String> out = new ArrayList<>();
    for (int pair = EVENTS / 2 - 1; pair >= 0; pair--) {
      out.add(String.format("w-%05d", pair * 2));
      out.add(String.format("w-%05d", pair * 2 + 1));
    }
    return out;
  }

  /** Follows a link on the instance other than the one that wrote it: even steps on a, odd on b. */
  private static Bundle follow(String url, int step, SearchServer a, SearchServer b) {
    SearchServer target = step % 2 == 0 ? a : b;
    SearchServer other = target == a ? b : a;
    String onTarget = url.replace(other.baseUrl(), target.baseUrl());
    assertThat(onTarget).startsWith(target.baseUrl()).contains(CursorPages.CURSOR + "=");
    return Fhir.context()
        .newRestfulGenericClient(target.baseUrl())
        .fetchResourceFromUrl(Bundle.class, onTarget);
  }
}
