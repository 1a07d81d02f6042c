/**
 * The {@code atna-bridge} command: {@code serve} runs the whole pipeline in one JVM (embedded
 * KRaft broker, syslog listener, conversion, indexer, FHIR server). Options become module
 * configurations in one place, {@link org.atnabridge.allinone.PipelineConfig}; {@link
 * org.atnabridge.allinone.Pipeline} starts the parts in data-flow order and stops them in reverse.
 */
@NullMarked
package org.atnabridge.allinone;

import org.jspecify.annotations.NullMarked;
