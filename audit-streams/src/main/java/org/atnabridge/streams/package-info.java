/**
 * The Kafka Streams application between the raw and the audit topics: one {@code KafkaStreams}
 * instance with a constant application id ({@link org.atnabridge.streams.StreamsService}) running
 * {@link org.atnabridge.streams.AuditTopology}, built by a static function that tests call too.
 */
@NullMarked
package org.atnabridge.streams;

import org.jspecify.annotations.NullMarked;
