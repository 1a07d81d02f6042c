/**
 * The Elasticsearch engine, for deployments that already run a cluster or need more than one
 * process to search. Speaks to ES 9 through elasticsearch-java's Rest5Client; uses only APIs that
 * the bare integ-test distribution also has (no ILM, scripts, ingest or delete-by-query).
 */
@NullMarked
package org.atnabridge.store.elasticsearch;

import org.jspecify.annotations.NullMarked;
