package org.atnabridge.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.testcontainers.DockerClientFactory;

/**
 * Starts one real single-node Elasticsearch {@value ElasticsearchDistribution#DEFAULT_VERSION}
 * (security off, loopback) for the whole test run of a module, shared by every class that uses this
 * extension through JUnit's root store, and stops it when the run ends; a JVM shutdown hook stops
 * it too, so an aborted run leaves no process behind. Inject {@link ElasticsearchNode} into test
 * methods, constructors or {@code @BeforeAll}:
 *
 * <pre>{@code @ExtendWith(ElasticsearchExtension.class)
 * class FooIT { @Test void t(ElasticsearchNode es) { es.url(); } }}</pre>
 *
 * <p>Where a Docker engine answers, the node is the official image through Testcontainers ({@code
 * -Des.image} overrides the image). Otherwise it is the Maven Central distribution {@code
 * org.elasticsearch.distribution.integ-test-zip:elasticsearch:zip} run as a child process (as uid
 * 1990 via {@code setpriv} when the build runs as root); {@code -Des.fixture=process} or {@code
 * =container} forces a strategy. A node that is not healthy within {@code
 * -Des.start.timeout.seconds} (default 120) fails the test class with the reason and the tail of
 * its log: never a skip, because a skipped store test hides a broken engine.
 *
 * <p>The integ-test-zip answers {@code GET /} and {@code HEAD /} with 405, so probe it with cluster
 * health, not {@code info()} or {@code ping()}; it also lacks painless, ILM, delete-by-query and
 * ingest processors.
 *
 * <p><b>What a module's pom must contain</b> so that a fresh machine gets the distribution from
 * Central with nothing but {@code ./mvnw verify} ({@code elasticsearch.version} comes from the
 * parent; the fixture is used from {@code *IT} classes, which failsafe runs):
 *
 * <pre>{@code
 * <properties><skipTests>false</skipTests></properties>
 * <dependencies>
 *   <dependency><groupId>org.atnabridge</groupId><artifactId>test-support</artifactId><scope>test</scope></dependency>
 * </dependencies>
 * <build><plugins>
 *   <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-dependency-plugin</artifactId>
 *     <executions><execution><id>unpack-elasticsearch</id><phase>generate-test-resources</phase><goals><goal>unpack</goal></goals>
 *       <configuration>
 *         <skip>${skipTests}</skip>
 *         <artifactItems><artifactItem>
 *           <groupId>org.elasticsearch.distribution.integ-test-zip</groupId><artifactId>elasticsearch</artifactId>
 *           <version>${elasticsearch.version}</version><type>zip</type>
 *           <outputDirectory>${project.build.directory}/es-dist</outputDirectory>
 *         </artifactItem></artifactItems>
 *         <markersDirectory>${project.build.directory}/es-dist-markers</markersDirectory>
 *       </configuration></execution></executions></plugin>
 *   <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-failsafe-plugin</artifactId>
 *     <configuration><systemPropertyVariables>
 *       <es.home>${project.build.directory}/es-dist/elasticsearch-${elasticsearch.version}</es.home>
 *     </systemPropertyVariables></configuration></plugin>
 * </plugins></build>
 * }</pre>
 *
 * <p>Without {@code -Des.home} (an IDE run) the fixture unpacks {@code -Des.dist.zip}, or the zip
 * in the local repository ({@code -Dmaven.repo.local} or {@code ~/.m2/repository}), into {@code
 * target/es-dist} itself. Other knobs: {@code -Des.java.home} (else {@code ES_JAVA_HOME}, else this
 * JVM if 21+, else the newest JDK 21+ in /usr/lib/jvm), {@code -Des.java.opts} (default {@code
 * -Xms512m -Xmx512m}), {@code -Des.work.dir} (default {@code target/es-run}), {@code -Des.run.uid}
 * (default 1990).
 */
public final class ElasticsearchExtension implements BeforeAllCallback, ParameterResolver {

  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(ElasticsearchExtension.class);

  /** Closed by JUnit (5.13+) when the root store closes at the end of the run. */
  private record Handle(ElasticsearchNode node) implements AutoCloseable {
    @Override
    public void close() {
      node.close();
    }
  }

  public static ElasticsearchNode node(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NS)
        .getOrComputeIfAbsent("node", k -> new Handle(startNode()), Handle.class)
        .node();
  }

  private static ElasticsearchNode startNode() {
    Duration timeout = Duration.ofSeconds(Long.getLong("es.start.timeout.seconds", 120));
    String strategy = System.getProperty("es.fixture", "auto");
    boolean container =
        switch (strategy) {
          case "container" -> true;
          case "process" -> false;
          case "auto" -> dockerAvailable();
          default ->
              throw new IllegalStateException(
                  "-Des.fixture must be auto, container or process: " + strategy);
        };
    return container
        ? ElasticsearchContainerNode.start(timeout)
        : ElasticsearchProcess.start(timeout);
  }

  /**
   * Asks Testcontainers only when some Docker endpoint is configured or present: its probe logs an
   * ERROR with a stack of strategies when there is none, which reads like a test failure.
   */
  private static boolean dockerAvailable() {
    String home = System.getProperty("user.home");
    String runtime = System.getenv("XDG_RUNTIME_DIR");
    boolean hint =
        System.getenv("DOCKER_HOST") != null
            || Stream.of(
                    "/var/run/docker.sock",
                    home + "/.docker/run/docker.sock",
                    home + "/.docker/desktop/docker.sock",
                    home + "/.testcontainers.properties",
                    runtime == null ? "/nonexistent" : runtime + "/docker.sock")
                .anyMatch(p -> Files.exists(Path.of(p)));
    if (!hint) {
      return false;
    }
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  /**
   * A second, private node (always the distribution process: a container cannot keep its data
   * across a stop here) that the caller may stop and restart and must close. Costs another 512 MB
   * heap and 10-30 s to start, so use it only for fault tests.
   */
  public static RestartableElasticsearchNode startDedicated(Duration timeout) {
    return ElasticsearchProcess.start(timeout);
  }

  /**
   * A private node with security on as an operator runs it: HTTPS with {@code security}'s
   * certificate and a file-realm superuser. The caller must close it.
   */
  public static RestartableElasticsearchNode startSecured(
      Duration timeout, ElasticsearchSecurity security) {
    return ElasticsearchProcess.start(timeout, security);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    node(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
    return parameter.getParameter().getType() == ElasticsearchNode.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
    return node(extension);
  }
}
