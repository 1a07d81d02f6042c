/**
 * Test fixtures shared by every module: a real Kafka broker ({@link
 * org.atnabridge.testing.KafkaBrokerExtension}), a real Elasticsearch node, ATNA samples. A fixture
 * that cannot start fails the run with its reason; it never skips.
 */
@NullMarked
package org.atnabridge.testing;

import org.jspecify.annotations.NullMarked;
