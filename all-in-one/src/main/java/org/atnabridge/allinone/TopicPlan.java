package org.atnabridge.allinone;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.NewTopic;
import org.atnabridge.schemas.Topic;
import org.atnabridge.schemas.Topics;
import org.jspecify.annotations.Nullable;

/**
 * The product's topics as {@code topics create} creates them: every topic of {@link Topics#ALL}
 * with its own partitions and configuration, the replication factor asked for, {@code --partitions}
 * for the partitioned topics (those with more than one partition by default: the inputs and outputs
 * of the streams tasks, which must all have the same count, {@code audit.alerts} and {@code
 * audit.notifications}) and {@code min.insync.replicas} when given. The single-partition topics
 * stay at one: {@code audit.dlq} and {@code audit.checkpoints} are read whole, the reference topics
 * are GlobalKTables.
 *
 * @param topic the topic
 * @param partitions its partition count
 * @param replication its replication factor
 * @param config its topic-level configuration
 */
record TopicPlan(Topic<?, ?> topic, int partitions, short replication, Map<String, String> config) {

  static final String MIN_INSYNC_REPLICAS = "min.insync.replicas";

  TopicPlan {
    config = Map.copyOf(config);
  }

  /** The plan for every topic, in {@link Topics#ALL}'s order. */
  static List<TopicPlan> of(
      short replication, @Nullable Integer partitions, @Nullable Integer minInsyncReplicas) {
    List<TopicPlan> plans = new ArrayList<>();
    for (Topic<?, ?> t : Topics.ALL) {
      Map<String, String> config = new TreeMap<>(t.config());
      if (minInsyncReplicas != null) {
        config.put(MIN_INSYNC_REPLICAS, minInsyncReplicas.toString());
      }
      plans.add(
          new TopicPlan(
              t,
              partitioned(t) && partitions != null ? partitions : t.partitions(),
              replication,
              config));
    }
    return plans;
  }

  /** Whether {@code --partitions} applies to the topic. */
  static boolean partitioned(Topic<?, ?> t) {
    return t.partitions() > 1;
  }

  String name() {
    return topic.name();
  }

  NewTopic newTopic() {
    return new NewTopic(topic.name(), partitions, replication).configs(config);
  }
}
