package org.atnabridge.search.console;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.atnabridge.schemas.Topics;
import org.atnabridge.search.AcknowledgedProducerConfig;
import org.atnabridge.search.CompactedTopicReader;
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
  private final CompactedTopicReader reader;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  /** user → id → search, with the offset of the record each came from. */
  private final Map<String, Map<String, Entry>> byUser = new ConcurrentHashMap<>();

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
    this.reader =
        new CompactedTopicReader(
            bootstrapServers, topic, "console-saved-searches-reader", this::read);
  }

  /** Starts reading the topic; waits up to {@code catchUp} until the view holds what is stored. */
  public static KafkaSavedSearches start(String bootstrapServers, Clock clock, Duration catchUp) {
    KafkaSavedSearches s = new KafkaSavedSearches(bootstrapServers, clock);
    s.reader.start(catchUp);
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

  @Override
  public void close() {
    reader.close();
    producer.close(Duration.ofSeconds(10));
  }
}
