package org.atnabridge.store.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.atnabridge.store.TestEvents.event;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.atnabridge.store.AuditQuery;
import org.atnabridge.store.AuditStore;
import org.atnabridge.store.AuditStoreContract;
import org.atnabridge.store.AuditStores;
import org.atnabridge.store.StoreException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LuceneAuditStoreTest extends AuditStoreContract {

  private final Path dir = tempDir();

  @Override
  protected AuditStore newStore() {
    return AuditStores.lucene(dir);
  }

  @Override
  protected void clear(AuditStore store) {
    ((LuceneAuditStore) store).deleteAll();
  }

  @AfterAll
  void deleteDir() throws IOException {
    store().close(); // this runs before the contract's @AfterAll; close is idempotent
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  @Test
  void open_afterClose_keepsEvents(@TempDir Path other) {
    try (AuditStore store = AuditStores.lucene(other)) {
      store.writer().write(List.of(event("kept", T0)));
    }

    try (AuditStore reopened = AuditStores.lucene(other)) {
      assertThat(reopened.search().read("kept")).isPresent();
      assertThat(reopened.search().search(AuditQuery.builder().build()).total()).isEqualTo(1);
    }
  }

  @Test
  void open_whileAnotherStoreHoldsTheDirectory_fails(@TempDir Path other) {
    try (AuditStore first = AuditStores.lucene(other)) {
      assertThatThrownBy(() -> AuditStores.lucene(other))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("in use");
      assertThat(first.check().ok()).isTrue();
    }
  }

  @Test
  void write_afterClose_failsAndCheckIsDown(@TempDir Path other) {
    AuditStore store = AuditStores.lucene(other);
    store.close();

    assertThatThrownBy(() -> store.writer().write(List.of(event("late", T0))))
        .isInstanceOf(StoreException.class);
    assertThat(store.check().ok()).isFalse();
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("lucene-store-test-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
