/**
 * A real single-node Apache Kafka broker in KRaft mode (combined broker + controller), run
 * in-process. Production code: {@code atna-bridge serve} runs it as the embedded default, and
 * {@code test-support} wraps it as a JUnit extension. It has no JUnit imports.
 */
@NullMarked
package org.atnabridge.kafka.embedded;

import org.jspecify.annotations.NullMarked;
