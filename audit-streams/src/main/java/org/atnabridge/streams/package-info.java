/**
 * The Kafka Streams application between the raw and the audit topics. Each concern is its own
 * {@code KafkaStreams} instance with a constant application id ({@link
 * org.atnabridge.streams.StreamsService}); topologies are built by static functions that tests
 * call too.
 */
@NullMarked
package org.atnabridge.streams;

import org.jspecify.annotations.NullMarked;
