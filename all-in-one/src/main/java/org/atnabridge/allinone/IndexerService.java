package org.atnabridge.allinone;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.atnabridge.allinone.health.HealthCheck;
import org.atnabridge.schemas.Topics;
import org.atnabridge.store.AuditStore;
import org.atnabridge.store.AuditStores;
import org.atnabridge.store.RetentionScheduler;
import org.atnabridge.store.StoreException;
import org.atnabridge.store.StoreHealth;
import org.atnabridge.store.elasticsearch.ElasticsearchAuditStore;
import org.atnabridge.store.indexer.AuditIndexer;
import org.atnabridge.store.relabel.PatientLabelTable;
import org.atnabridge.store.relabel.PatientRelabeler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code atna-bridge indexer}: {@code audit.enriched} into the store (Lucene under {@code
 * <data-dir>/index}, or Elasticsearch), preceded by the relabel job whose table of reference
 * patients' labels the indexer applies, and followed by the retention schedule.
 */
final class IndexerService implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(IndexerService.class);
  private static final Duration REFERENCE_LOAD_TIMEOUT = Duration.ofSeconds(60);

  private final Parts parts;
  private final AuditStore store;
  private final AuditIndexer indexer;

  private IndexerService(Parts parts, AuditStore store, AuditIndexer indexer) {
    this.parts = parts;
    this.store = store;
    this.indexer = indexer;
  }

  static IndexerService start(
      PipelineConfig config,
      RetentionSettings retention,
      ElasticsearchLayout layout,
      String bootstrap,
      MeterRegistry registry) {
    Parts parts = new Parts();
    try {
      return open(parts, config, retention, layout, bootstrap, registry);
    } catch (RuntimeException e) {
      parts.close();
      throw e;
    }
  }

  /** The store the config names: Lucene under the data dir, or Elasticsearch with the layout. */
  static AuditStore openStore(PipelineConfig config, ElasticsearchLayout layout) {
    String url = config.elasticsearchUrl();
    if (url == null) {
      AuditStore lucene = AuditStores.lucene(config.indexDir());
      LOG.info("ready: audit store lucene at {}", config.indexDir());
      return lucene;
    }
    // durable on acknowledgement, searchable within the index's refresh interval: waiting for a
    // refresh on every bulk would hold each indexer batch for up to a second
    ElasticsearchAuditStore es =
        layout
            .applyTo(
                ElasticsearchAuditStore.builder(url)
                    .index(config.elasticsearchIndex())
                    .waitForRefresh(false))
            .build();
    String what = "elasticsearch at " + url + " alias " + config.elasticsearchIndex();
    try {
      es.start(); // the template, alias and write index, at start rather than on first use
      LOG.info("ready: audit store {}", what);
    } catch (StoreException e) {
      // not fatal: the node may come up after us; readiness stays DOWN and retries the install
      LOG.warn(
          "audit store {} not ready (index template, alias and write index not installed): {}",
          what,
          e.getMessage());
    }
    return es;
  }

  private static IndexerService open(
      Parts parts,
      PipelineConfig config,
      RetentionSettings retention,
      ElasticsearchLayout layout,
      String bootstrap,
      MeterRegistry registry) {
    AuditStore store = parts.add(openStore(config, layout));

    // labels follow the patient: the relabel job holds every reference patient's labels, which the
    // indexer applies to each event it indexes, and relabels stored events when a patient's change
    PatientLabelTable patientLabels = new PatientLabelTable();
    PatientRelabeler relabeler =
        parts.add(PatientRelabeler.create(bootstrap, store, patientLabels, registry));
    relabeler.start();
    awaitLoaded(relabeler);
    LOG.info("ready: relabel job (reference patients' labels follow to their stored events)");

    // only enriched, labelled and chained events are searchable and verifiable
    AuditIndexer indexer =
        parts.add(
            new AuditIndexer(
                    Map.of("bootstrap.servers", bootstrap),
                    Topics.AUDIT_ENRICHED.name(),
                    store,
                    registry)
                .raiseLabelsFrom(patientLabels));
    indexer.start();

    if (retention.enabled()) {
      parts.add(
          new RetentionScheduler(
                  store, retention.policy(), retention.checkInterval(), Clock.systemUTC(), registry)
              .start());
      LOG.info(
          "ready: retention {} checked every {}", retention.maxAge(), retention.checkInterval());
    }
    return new IndexerService(parts, store, indexer);
  }

  /**
   * The indexer must not start with a partial table: it would index events without their patient's
   * labels.
   */
  private static void awaitLoaded(PatientRelabeler relabeler) {
    try {
      if (!relabeler.awaitLoaded(REFERENCE_LOAD_TIMEOUT)) {
        throw new IllegalStateException(
            "reference patients not loaded within " + REFERENCE_LOAD_TIMEOUT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while loading reference patients", e);
    }
  }

  /**
   * {@code index}: the store answers and the indexer writes to it (it pauses while the store
   * fails).
   */
  List<HealthCheck> checks() {
    return List.of(
        new HealthCheck(
            "index",
            () -> {
              StoreHealth engine = store.check();
              if (!engine.ok()) {
                return "store: " + engine.reason();
              }
              StoreHealth writing = indexer.check();
              return writing.ok() ? null : "indexer: " + writing.reason();
            }));
  }

  AuditStore store() {
    return store;
  }

  @Override
  public void close() {
    parts.close();
  }
}
