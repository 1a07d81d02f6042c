package org.atnabridge.store.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.atnabridge.store.TestEvents.event;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.atnabridge.store.AuditQuery;
import org.atnabridge.store.StoreException;
import org.atnabridge.store.StoreHealth;
import org.atnabridge.testing.ElasticsearchExtension;
import org.atnabridge.testing.ElasticsearchSecurity;
import org.atnabridge.testing.RestartableElasticsearchNode;
import org.atnabridge.testing.TestPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store against a real node with security on, as a hospital runs it: HTTPS with a private CA
 * and authentication. The store trusts the CA file it is given (and nothing else), authenticates
 * with a user and password, and a wrong credential or an untrusted certificate fails as the store's
 * error, never with the secret in its message.
 *
 * <p>API keys are not tried here: this distribution (the integ-test zip from Maven Central) lacks
 * the analysis module the {@code .security} index's mapping needs, so the node cannot create an API
 * key; {@link ElasticsearchCredentialsTest} shows the header the store sends with one.
 */
class ElasticsearchSecurityIT {

  private static final String USER = "atna_admin";
  private static final String PASSWORD = "s3cret-Passw0rd-for-test";

  @TempDir static Path dir;
  private static ElasticsearchSecurity security;
  private static RestartableElasticsearchNode es;

  @BeforeAll
  static void startSecuredNode() {
    security = new ElasticsearchSecurity(TestPki.create(dir.resolve("pki")), USER, PASSWORD);
    es = ElasticsearchExtension.startSecured(Duration.ofSeconds(180), security);
  }

  @AfterAll
  static void stop() {
    if (es != null) {
      es.close();
    }
  }

  @Test
  void userAndPassword_overHttpsWithTheCa_writesAndSearches() throws Exception {
    assertThat(es.url()).startsWith("https://");
    var credentials = new ElasticsearchCredentials(security.pki().ca(), null, USER, PASSWORD);
    try (ElasticsearchAuditStore store = store("secured-basic", credentials)) {
      store.start();
      assertThat(store.check().ok()).as(String.valueOf(store.check().reason())).isTrue();
      store.writer().write(List.of(event("basic-1", Instant.now())));
      assertThat(store.search().search(AuditQuery.builder().build()).events())
          .extracting(e -> e.getIdPart())
          .containsExactly("basic-1");
    }
  }

  @Test
  void wrongPassword_isRefused_andTheMessageNeverHoldsTheSecret() {
    String wrong = "not-the-password-9876";
    var credentials = new ElasticsearchCredentials(security.pki().ca(), null, USER, wrong);
    try (ElasticsearchAuditStore store = store("secured-wrong", credentials)) {
      StoreHealth health = store.check();
      assertThat(health.ok()).isFalse();
      assertThat(String.valueOf(health.reason())).doesNotContain(wrong).doesNotContain(PASSWORD);
      assertThatThrownBy(store::start)
          .isInstanceOf(StoreException.class)
          .satisfies(e -> assertThat(String.valueOf(e.getMessage())).doesNotContain(wrong));
    }
    assertThat(credentials.toString()).doesNotContain(wrong).contains("user " + USER);
  }

  @Test
  void withoutTheCa_theNodesCertificateIsNotTrusted() {
    var credentials = new ElasticsearchCredentials(null, null, USER, PASSWORD);
    try (ElasticsearchAuditStore store = store("secured-untrusted", credentials)) {
      StoreHealth health = store.check();
      assertThat(health.ok()).isFalse();
      assertThat(String.valueOf(health.reason())).doesNotContain(PASSWORD);
      assertThatThrownBy(store::start).isInstanceOf(StoreException.class);
    }
  }

  @Test
  void withoutCredentials_theNodeAnswersUnauthorized() {
    var credentials = new ElasticsearchCredentials(security.pki().ca(), null, null, null);
    try (ElasticsearchAuditStore store = store("secured-anonymous", credentials)) {
      assertThat(store.check().ok()).isFalse();
      assertThatThrownBy(store::start).isInstanceOf(StoreException.class);
    }
  }

  private static ElasticsearchAuditStore store(String alias, ElasticsearchCredentials c) {
    return ElasticsearchAuditStore.builder(es.url())
        .index(alias)
        .refreshImmediately(true)
        .retries(1, Duration.ofMillis(50))
        .credentials(c)
        .build();
  }
}
