package org.atnabridge.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.NewTopic;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts one real single-node KRaft broker on a free loopback port for the whole test run of a
 * module (JUnit's root store), shared by every class that uses this extension, and stops it when
 * the run ends. Inject {@link EmbeddedKafkaBroker} into test methods or {@code @BeforeAll}.
 *
 * <pre>{@code @ExtendWith(KafkaBrokerExtension.class)
 * class FooIT { @Test void t(EmbeddedKafkaBroker kafka) { kafka.bootstrapServers(); } }}</pre>
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, ParameterResolver {

  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(KafkaBrokerExtension.class);

  /** Closed by JUnit (≥ 5.13) when the root store is closed at the end of the run. */
  private record Handle(EmbeddedKafkaBroker broker, Path dir) implements AutoCloseable {
    @Override
    public void close() throws IOException {
      broker.close();
      deleteTree(dir);
    }
  }

  public static EmbeddedKafkaBroker broker(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NS)
        .getOrComputeIfAbsent("broker", k -> startBroker(), Handle.class)
        .broker();
  }

  private static Handle startBroker() {
    try {
      Path dir = Files.createTempDirectory("kafka-test-");
      EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dir, 0, Map.of()).start();
      return new Handle(broker, dir);
    } catch (IOException | RuntimeException e) {
      // fail, never skip: a test without its broker proves nothing
      throw new IllegalStateException(
          "KafkaBrokerExtension: cannot start the embedded KRaft broker: " + e.getMessage(), e);
    }
  }

  /** Creates topics (existing ones are kept) with replication factor 1. */
  public static void createTopics(EmbeddedKafkaBroker broker, int partitions, String... names) {
    broker.createTopics(Stream.of(names).map(n -> new NewTopic(n, partitions, (short) 1)).toList());
  }

  public static void createTopics(EmbeddedKafkaBroker broker, List<NewTopic> topics) {
    broker.createTopics(topics);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    broker(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
    return parameter.getParameter().getType() == EmbeddedKafkaBroker.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
    return broker(extension);
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
