package org.atnabridge.streams.alert;

import java.util.List;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.atnabridge.schemas.Topics;
import org.atnabridge.schemas.alert.Alert;
import org.atnabridge.schemas.alert.AlertJson;
import org.atnabridge.testing.TopicReaders;

/** What the alert engine's ITs read back from the real broker: committed records only. */
final class CommittedRecords {

  private CommittedRecords() {}

  /** Every committed record of the topic, from its beginning to its end now. */
  static List<ConsumerRecord<byte[], byte[]>> of(String bootstrap, String topic) {
    return TopicReaders.committed(bootstrap, topic);
  }

  /** {@link #of} read by {@code read}. */
  static <T> List<T> read(
      String bootstrap, String topic, Function<ConsumerRecord<byte[], byte[]>, T> read) {
    return of(bootstrap, topic).stream().map(read).toList();
  }

  /** The alerts of one rule on {@code audit.alerts}. */
  static List<Alert> alerts(String bootstrap, String ruleId) {
    return read(bootstrap, Topics.AUDIT_ALERTS.name(), r -> AlertJson.read(r.value())).stream()
        .filter(a -> a.rule().id().equals(ruleId))
        .toList();
  }
}
