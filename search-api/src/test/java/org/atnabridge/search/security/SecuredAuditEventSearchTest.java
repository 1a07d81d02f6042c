package org.atnabridge.search.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.atnabridge.store.Criterion.ReferenceValue.literal;

import java.nio.file.Path;
import java.util.Set;
import org.atnabridge.store.Aggregation;
import org.atnabridge.store.AuditPage;
import org.atnabridge.store.AuditQuery;
import org.atnabridge.store.AuditStore;
import org.atnabridge.store.AuditStores;
import org.atnabridge.store.SearchField;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The secured view over a real Lucene store, as every provider gets it: what {@code $stats} and
 * {@code $access-report} would ask (counts, aggregations, no page) only covers visible events. The
 * HTTP cases of those operations come with their providers.
 */
class SecuredAuditEventSearchTest {

  private AuditStore store;
  private SecuredAuditEventSearch secured;

  @BeforeEach
  void start(@TempDir Path dir) {
    store = AuditStores.lucene(dir);
    store.writer().write(ApiSecurityIT.events());
    secured =
        new SecuredAuditEventSearch(
            store.search(),
            new TestIssuer().settings().withPatientIdentifierSystem(SecuredApi.PATIENT_SYSTEM));
  }

  @AfterEach
  void stop() {
    RequestAccess.clear();
    store.close();
  }

  @Test
  void patientScope_countsAndAggregations_coverOnlyThePatientsEvents() {
    bind(
        new Caller("portal", SmartScopes.parse("patient/AuditEvent.rs"), "p1", Set.of(), null),
        SmartScopes.Level.PATIENT);
    AuditPage stats =
        secured.search(
            AuditQuery.builder()
                .limit(0)
                .aggregate(new Aggregation.Terms("by-code", SearchField.CODE, 10))
                .build());
    assertThat(stats.total()).isEqualTo(2);
    assertThat(stats.aggregations().get("by-code"))
        .extracting(Aggregation.Bucket::count)
        .containsExactly(2L);
    // a report for another patient, asked for explicitly, is empty
    AuditPage report =
        secured.search(
            AuditQuery.builder()
                .reference(SearchField.PATIENT, literal("Patient/p2"))
                .limit(100)
                .build());
    assertThat(report.total()).isZero();
    assertThat(secured.read("p2-ref")).isEmpty();
  }

  @Test
  void clearance_appliesToCounts() {
    bind(
        new Caller("officer", SmartScopes.parse("system/AuditEvent.rs"), null, Set.of(), null),
        SmartScopes.Level.ALL);
    assertThat(secured.search(AuditQuery.builder().limit(0).build()).total()).isEqualTo(5);
    bind(
        new Caller("officer", SmartScopes.parse("system/AuditEvent.rs"), null, Set.of("V"), null),
        SmartScopes.Level.ALL);
    assertThat(secured.search(AuditQuery.builder().limit(0).build()).total()).isEqualTo(7);
  }

  @Test
  void withoutADecidedAccess_nothingIsVisible() {
    assertThat(secured.search(AuditQuery.builder().limit(0).build()).total()).isZero();
    assertThat(secured.read("p1-ref")).isEmpty();
    bind(
        new Caller("officer", SmartScopes.parse("system/AuditEvent.rs"), null, Set.of("V"), null),
        null);
    assertThat(secured.search(AuditQuery.builder().limit(0).build()).total()).isZero();
    assertThat(store.search().search(AuditQuery.builder().limit(0).build()).total()).isEqualTo(7);
  }

  private static void bind(Caller caller, SmartScopes.Level level) {
    RequestAccess access = new RequestAccess(caller);
    if (level != null) {
      access.decide(level);
    }
    RequestAccess.bind(access);
  }
}
