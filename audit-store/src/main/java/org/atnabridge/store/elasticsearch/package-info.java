/**
 * The Elasticsearch engine, for deployments that run a cluster or need more than one process to
 * search: monthly indices behind an alias, an idempotent index template, bounded and retried bulks.
 * Speaks to ES 9 through elasticsearch-java's Rest5Client and uses only APIs the bare integ-test
 * distribution also has (no ILM, scripts, ingest, data streams or delete-by-query).
 */
@NullMarked
package org.atnabridge.store.elasticsearch;

import org.jspecify.annotations.NullMarked;
