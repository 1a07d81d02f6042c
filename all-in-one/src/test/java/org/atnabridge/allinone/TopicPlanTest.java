package org.atnabridge.allinone;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.atnabridge.schemas.Topics;
import org.junit.jupiter.api.Test;

/** {@code topics create}'s plan: the schemas' topics, with the operator's counts. */
class TopicPlanTest {

  @Test
  void partitionsApplyToThePartitionedTopics_minIsrToAll() {
    List<TopicPlan> plans = TopicPlan.of((short) 3, 12, 2);
    assertThat(plans)
        .extracting(TopicPlan::name)
        .containsExactlyElementsOf(Topics.ALL.stream().map(t -> t.name()).toList());
    for (TopicPlan p : plans) {
      assertThat(p.partitions()).as(p.name()).isEqualTo(p.topic().partitions() > 1 ? 12 : 1);
      assertThat(p.replication()).isEqualTo((short) 3);
      assertThat(p.config()).containsAllEntriesOf(p.topic().config());
      assertThat(p.config()).containsEntry("min.insync.replicas", "2");
    }
    // the streams need their inputs at one count
    assertThat(plans)
        .filteredOn(
            p ->
                List.of(
                        Topics.ATNA_RAW.name(),
                        Topics.ACCESSLOG_RAW.name(),
                        Topics.AUDIT_POSTED.name())
                    .contains(p.name()))
        .extracting(TopicPlan::partitions)
        .containsOnly(12);
  }

  @Test
  void defaults_areTheSchemasCounts_withoutMinIsr() {
    for (TopicPlan p : TopicPlan.of((short) 1, null, null)) {
      assertThat(p.partitions()).isEqualTo(p.topic().partitions());
      assertThat(p.config()).isEqualTo(p.topic().config());
    }
  }
}
