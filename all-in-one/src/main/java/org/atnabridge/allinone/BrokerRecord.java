package org.atnabridge.allinone;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;

/**
 * The Kafka cluster a data dir belongs to, recorded by {@code serve} at start in {@value #FILE}
 * under {@code --data-dir}: its bootstrap address (the embedded broker's port or {@code
 * --kafka-bootstrap}) and its cluster id. {@code verify --data-dir} takes the broker from here, and
 * refuses a {@code --kafka-bootstrap} of another cluster: the checkpoints of another instance do
 * not verify with this data dir's key, and that is no evidence of tampering.
 *
 * @param bootstrap the bootstrap servers, {@code host:port[,host:port]}
 * @param clusterId the Kafka cluster id
 */
record BrokerRecord(String bootstrap, String clusterId) {

  static final String FILE = "kafka-broker.properties";

  /** The record of a data dir, when {@code serve} has started there. */
  static Optional<BrokerRecord> read(Path dataDir) {
    Path file = dataDir.resolve(FILE);
    if (!Files.isReadable(file)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    String bootstrap = p.getProperty("bootstrap");
    String clusterId = p.getProperty("cluster.id");
    if (bootstrap == null || bootstrap.isBlank() || clusterId == null || clusterId.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(new BrokerRecord(bootstrap.trim(), clusterId.trim()));
  }

  /**
   * Asks the cluster at {@code bootstrap} for its id and records both in the data dir (replacing an
   * older record).
   */
  static BrokerRecord write(Path dataDir, String bootstrap, Duration timeout) {
    BrokerRecord record = new BrokerRecord(bootstrap, clusterId(bootstrap, timeout));
    Properties p = new Properties();
    p.setProperty("bootstrap", record.bootstrap());
    p.setProperty("cluster.id", record.clusterId());
    try {
      Files.createDirectories(dataDir);
      Path tmp = Files.createTempFile(dataDir, FILE, ".tmp");
      try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        p.store(
            w,
            "the Kafka cluster of this data dir, written by atna-bridge serve; read by atna-bridge verify");
      }
      Files.move(
          tmp,
          dataDir.resolve(FILE),
          StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dataDir.resolve(FILE), e);
    }
    return record;
  }

  /** The id of the cluster at {@code bootstrap}. */
  static String clusterId(String bootstrap, Duration timeout) {
    try (Admin admin = VerifyKafka.admin(bootstrap, timeout)) {
      return admin.describeCluster().clusterId().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "Kafka at " + bootstrap + " did not answer within " + timeout.toSeconds() + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
