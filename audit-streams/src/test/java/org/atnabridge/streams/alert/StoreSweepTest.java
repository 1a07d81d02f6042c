package org.atnabridge.streams.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sweep walks a store a budget of entries per run, resumes after the last, then wraps. */
class StoreSweepTest {

  @TempDir Path dir;

  /** The processor that owns the store; the test uses the store directly. */
  static final class Idle implements Processor<Object, Object, Void, Void> {
    @Override
    public void process(Record<Object, Object> record) {}
  }

  @Test
  void run_visitsABudgetPerCall_resumesAfterTheLastKey_appliesItsDecisions_thenStartsOver() {
    Topology t = new Topology();
    t.addSource(
        "in", Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(), "unused");
    t.addProcessor("p", Idle::new, "in");
    t.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore("s"), Serdes.String(), Serdes.Long()),
        "p");
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "sweep-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString());
    try (TopologyTestDriver driver = new TopologyTestDriver(t, props)) {
      KeyValueStore<String, Long> store = driver.getKeyValueStore("s");
      for (long i = 0; i < 25; i++) {
        store.put(String.format("k%02d", i), i);
      }
      StoreSweep<Long> sweep = new StoreSweep<>(store, 10);
      List<List<String>> runs = new ArrayList<>();
      for (int run = 0; run < 4; run++) {
        List<String> visited = new ArrayList<>();
        runs.add(visited);
        sweep.run(
            (key, value) -> {
              visited.add(key);
              return value % 2 == 0 ? null : (value == 1 ? Long.valueOf(101) : value);
            });
      }

      assertThat(runs.get(0)).hasSize(10).startsWith("k00").endsWith("k09");
      assertThat(runs.get(1)).hasSize(10).startsWith("k10").endsWith("k19");
      assertThat(runs.get(2)).containsExactly("k20", "k21", "k22", "k23", "k24");
      assertThat(runs.get(3)).as("over again, without the deleted").startsWith("k01", "k03");
      assertThat(store.get("k02")).isNull();
      assertThat(store.get("k01")).isEqualTo(101L);
      assertThat(store.get("k03")).isEqualTo(3L);
    }
  }
}
