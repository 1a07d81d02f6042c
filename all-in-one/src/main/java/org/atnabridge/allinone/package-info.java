/**
 * The {@code atna-bridge} command: {@code serve} runs the whole pipeline in one JVM (embedded KRaft
 * broker, syslog listener, conversion, indexer, FHIR server); {@code ingest}, {@code streams},
 * {@code indexer} and {@code api} run one service each against an external Kafka. Options live in
 * picocli mixins shared by every command and become module configurations in one place, {@link
 * org.atnabridge.allinone.PipelineConfig}; {@link org.atnabridge.allinone.Pipeline} starts the
 * services in data-flow order and stops them in reverse.
 */
@NullMarked
package org.atnabridge.allinone;

import org.jspecify.annotations.NullMarked;
