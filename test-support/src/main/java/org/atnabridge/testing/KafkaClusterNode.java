package org.atnabridge.testing;

import java.nio.file.Path;
import java.util.Map;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;

/**
 * The main class of one node of {@link KafkaCluster}, run in a JVM of its own so that the test can
 * kill it with SIGKILL. Arguments: node id, cluster id, data dir, broker port, controller port,
 * voters, the pid of the test JVM. Prints {@link #READY} once started and runs until killed, stdin
 * closes, or the test JVM is gone (a crashed test run leaves no broker behind).
 */
public final class KafkaClusterNode {

  public static final String READY = "kafka cluster node ready";

  private KafkaClusterNode() {}

  public static void main(String[] args) throws Exception {
    int nodeId = Integer.parseInt(args[0]);
    EmbeddedKafkaBroker broker =
        new EmbeddedKafkaBroker(
            Path.of(args[2]),
            Integer.parseInt(args[3]),
            Map.of(
                "offsets.topic.replication.factor", "3",
                "offsets.topic.num.partitions", "3",
                "transaction.state.log.replication.factor", "3",
                "transaction.state.log.min.isr", "2",
                "transaction.state.log.num.partitions", "3",
                "default.replication.factor", "3",
                "min.insync.replicas", "2",
                "unclean.leader.election.enable", "false"),
            new EmbeddedKafkaBroker.Membership(
                nodeId, args[1], Integer.parseInt(args[4]), args[5]));
    long owner = Long.parseLong(args[6]);
    Thread watchdog =
        new Thread(
            () -> {
              while (ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false)) {
                try {
                  Thread.sleep(1_000);
                } catch (InterruptedException e) {
                  return;
                }
              }
              Runtime.getRuntime().halt(1);
            },
            "owner-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    broker.start();
    System.out.println(READY);
    System.out.flush();
    // runs until the test kills this JVM, or closes stdin for a clean stop
    while (System.in.read() >= 0) {
      // ignore input
    }
    broker.close();
  }
}
