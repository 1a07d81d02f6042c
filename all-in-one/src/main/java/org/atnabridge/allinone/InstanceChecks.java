package org.atnabridge.allinone;

import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.atnabridge.schemas.Topics;
import org.atnabridge.schemas.chain.Checkpoint;
import org.jspecify.annotations.Nullable;

/**
 * Refuses to verify against another instance: a broker of another Kafka cluster than the one {@code
 * serve} recorded in the data dir, or checkpoints all signed by another key than the trusted one.
 */
final class InstanceChecks {

  static final String DEFAULT_BOOTSTRAP = "127.0.0.1:9092";

  private InstanceChecks() {}

  /**
   * The broker of {@code --data-dir}: the one {@code serve} recorded there, unless {@code
   * --kafka-bootstrap} names another address of the same cluster. Another cluster is refused (exit
   * 2): its checkpoints would not verify with this data dir's key.
   */
  static String broker(Path dataDir, @Nullable String kafkaBootstrap, Duration timeout) {
    Optional<BrokerRecord> recorded = BrokerRecord.read(dataDir);
    String given =
        kafkaBootstrap == null || kafkaBootstrap.isBlank() ? null : kafkaBootstrap.trim();
    if (recorded.isEmpty()) {
      return given == null ? DEFAULT_BOOTSTRAP : given;
    }
    BrokerRecord r = recorded.get();
    String bootstrap = given == null ? r.bootstrap() : given;
    String clusterId;
    try {
      clusterId = BrokerRecord.clusterId(bootstrap, timeout);
    } catch (IllegalStateException e) {
      if (given == null) {
        throw new IllegalStateException(
            "the broker of --data-dir "
                + dataDir
                + " ("
                + r.bootstrap()
                + ", recorded in "
                + dataDir.resolve(BrokerRecord.FILE)
                + ") does not answer: is its serve running? (or give --kafka-bootstrap)");
      }
      throw e;
    }
    if (!clusterId.equals(r.clusterId())) {
      throw new IllegalArgumentException(
          (given == null
                  ? "the broker recorded for --data-dir " + dataDir + " at " + bootstrap
                  : "--kafka-bootstrap " + bootstrap)
              + " is Kafka cluster "
              + clusterId
              + ", but --data-dir "
              + dataDir
              + " belongs to cluster "
              + r.clusterId()
              + " at "
              + r.bootstrap()
              + " (recorded in "
              + dataDir.resolve(BrokerRecord.FILE)
              + " by serve): give the --kafka-bootstrap of that cluster, or the "
              + "--data-dir of the instance at "
              + bootstrap
              + "; nothing was verified");
    }
    return bootstrap;
  }

  /**
   * Checkpoints that are all signed by another key than the trusted one come from another instance
   * (or the key does): refused, naming both key ids, rather than one tamper finding per checkpoint.
   */
  static void refuseOtherInstance(
      List<Checkpoint> checkpoints, PublicKey key, Path publicKey, String bootstrap) {
    String trusted = Checkpoint.keyId(key);
    if (!checkpoints.isEmpty()
        && checkpoints.stream()
            .allMatch(cp -> cp.keyId().matches("[0-9a-f]{16}") && !cp.keyId().equals(trusted))) {
      throw new IllegalArgumentException(
          "the checkpoints in "
              + Topics.AUDIT_CHECKPOINTS.name()
              + " at "
              + bootstrap
              + " are signed by another instance's key (key "
              + checkpoints.stream()
                  .map(Checkpoint::keyId)
                  .distinct()
                  .collect(Collectors.joining(", "))
              + "), not by --public-key "
              + publicKey
              + " (key "
              + trusted
              + "): --kafka-bootstrap and --data-dir/--public-key belong to different instances; nothing was verified");
    }
  }
}
