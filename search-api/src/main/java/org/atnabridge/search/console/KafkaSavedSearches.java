package org.atnabridge.search.console;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.atnabridge.schemas.Topics;
import org.atnabridge.search.AcknowledgedProducerConfig;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saved searches in the compacted topic {@code console.saved-searches}, so that every API node (two
 * behind the load balancer in the scaled-out deployment) serves the same list and a restart loses
 * nothing. Each node reads the whole topic into memory (no consumer group) and sees its own writes
 * at once (written with {@code acks=all}, then applied). One record per search, keyed by user and
 * id, so two nodes saving for one user at once never overwrite each other.
 */
public final class KafkaSavedSearches implements SavedSearches, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaSavedSearches.class);
  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(15);

  private final String topic = Topics.CONSOLE_SAVED_SEARCHES.name();
  private final KafkaProducer<String, byte[]> producer;
  private final KafkaConsumer<String, byte[]> consumer;
  private final Thread reader;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final CountDownLatch caughtUp = new CountDownLatch(1);

  /** user → id → search, with the offset of the record each came from. */
  private final Map<String, Map<String, Entry>> byUser = new ConcurrentHashMap<>();

  private volatile boolean running = true;

  private record Entry(long offset, @Nullable SavedSearch search) {}

  private KafkaSavedSearches(String bootstrapServers, Clock clock) {
    this.clock = clock;
    Map<String, Object> p =
        AcknowledgedProducerConfig.of(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "console-saved-searches");
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) ACK_TIMEOUT.toMillis() - 1000);
    this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, "console-saved-searches-reader");
    this.consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    this.reader = Thread.ofPlatform().name("console-saved-searches").daemon().unstarted(this::read);
  }

  /** Starts reading the topic; waits up to {@code catchUp} until the view holds what is stored. */
  public static KafkaSavedSearches start(String bootstrapServers, Clock clock, Duration catchUp) {
    KafkaSavedSearches s = new KafkaSavedSearches(bootstrapServers, clock);
    s.reader.start();
    try {
      if (!s.caughtUp.await(catchUp.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("{} not read to its end within {}; going on", s.topic, catchUp);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return s;
  }

  @Override
  public List<SavedSearch> of(String user) {
    Map<String, Entry> mine = byUser.getOrDefault(user, Map.of());
    List<SavedSearch> out = new ArrayList<>();
    for (Entry e : mine.values()) {
      if (e.search() != null) {
        out.add(e.search());
      }
    }
    out.sort(Comparator.comparing(SavedSearch::created).thenComparing(SavedSearch::id));
    return out;
  }

  @Override
  public synchronized Optional<SavedSearch> save(String user, String name, String query) {
    if (of(user).size() >= MAX_PER_USER) {
      return Optional.empty();
    }
    byte[] id = new byte[12];
    random.nextBytes(id);
    SavedSearch s =
        new SavedSearch(
            user,
            Base64.getUrlEncoder().withoutPadding().encodeToString(id),
            name,
            query,
            clock.instant());
    write(s.user(), s.id(), s);
    return Optional.of(s);
  }

  @Override
  public synchronized boolean delete(String user, String id) {
    Entry e = byUser.getOrDefault(user, Map.of()).get(id);
    if (e == null || e.search() == null) {
      return false;
    }
    write(user, id, null);
    return true;
  }

  /** The record key: the user (base64url, so no subject can forge another's prefix) and the id. */
  static String key(String user, String id) {
    return Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(user.getBytes(StandardCharsets.UTF_8))
        + "/"
        + id;
  }

  private void write(String user, String id, @Nullable SavedSearch s) {
    try {
      RecordMetadata m =
          producer
              .send(new ProducerRecord<>(topic, key(user, id), s == null ? null : s.toJson()))
              .get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      apply(user, id, m.offset(), s);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted writing a saved search", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new SavedSearchesUnavailableException(topic + " did not acknowledge the write", e);
    }
  }

  /** Applies a record unless a later one of the same key was applied already. */
  private void apply(String user, String id, long offset, @Nullable SavedSearch s) {
    byUser
        .computeIfAbsent(user, u -> new ConcurrentHashMap<>())
        .merge(id, new Entry(offset, s), (old, now) -> now.offset() >= old.offset() ? now : old);
  }

  private void read() {
    try {
      List<TopicPartition> partitions = new ArrayList<>();
      while (running && partitions.isEmpty()) {
        for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
          partitions.add(new TopicPartition(topic, info.partition()));
        }
        if (partitions.isEmpty()) {
          LOG.warn("{} does not exist yet; looking again in 5 s", topic);
          Thread.sleep(5_000);
        }
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      checkCaughtUp(end);
      while (running) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          read(r);
        }
        if (caughtUp.getCount() > 0) {
          checkCaughtUp(end);
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.error("{} reader stopped: {}", topic, e.toString(), e);
    } finally {
      consumer.close();
    }
  }

  private void read(ConsumerRecord<String, byte[]> r) {
    String key = r.key();
    int slash = key == null ? -1 : key.indexOf('/');
    if (key == null || slash < 0) {
      return; // never written by this API
    }
    String user;
    try {
      user =
          new String(
              Base64.getUrlDecoder().decode(key.substring(0, slash)), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return;
    }
    String id = key.substring(slash + 1);
    if (r.value() == null) {
      apply(user, id, r.offset(), null);
      return;
    }
    SavedSearch s = SavedSearch.fromJson(r.value());
    // the key decides the owner: a value naming anyone else is not trusted
    if (s != null && s.user().equals(user) && s.id().equals(id)) {
      apply(user, id, r.offset(), s);
    } else {
      LOG.warn("{}@{}: not a saved search of its key, skipped", topic, r.offset());
    }
  }

  private void checkCaughtUp(Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (consumer.position(e.getKey()) < e.getValue()) {
        return;
      }
    }
    caughtUp.countDown();
  }

  @Override
  public void close() {
    running = false;
    if (reader.getState() == Thread.State.NEW) {
      consumer.close();
    }
    consumer.wakeup();
    try {
      reader.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close(Duration.ofSeconds(10));
  }
}
