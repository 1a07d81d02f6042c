package org.atnabridge.allinone;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.atnabridge.schemas.pem.PemFiles;
import org.atnabridge.streams.chain.CheckpointKeys;
import org.atnabridge.testing.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;

/**
 * The Compose deployments under {@code compose/}, checked without a Docker engine: Debian's {@code
 * docker-compose config} accepts both files; every command an atna-bridge container runs parses
 * with the real command line; the cluster has the shape it promises (3 controllers, 3 brokers with
 * replication 3 and min ISR 2 and no auto-created topics, 3 Elasticsearch nodes with security, two
 * of each service with health checks) and takes every key from a secret; the Dockerfile copies what
 * the build makes; the health check script and the secrets script work.
 */
class ComposeFilesIT {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path COMPOSE = ROOT.resolve("compose");
  private static final Pattern DOCKER_COPY = Pattern.compile("(?m)^COPY\\s+(\\S+)\\s+\\S+$");

  @TempDir Path dir;

  @Test
  void single_isValid_andItsCommandParses() throws Exception {
    Map<String, Map<String, Object>> services = services(config("single"));
    assertThat(services).containsOnlyKeys("atna-bridge");
    assertAtnaCommandsParse(services);
    assertThat(command(services.get("atna-bridge"))).first().isEqualTo("serve");
    assertThat(services.get("atna-bridge")).containsKey("healthcheck").containsKey("volumes");
  }

  @Test
  void cluster_isValid_everyCommandParses_andItHasTheShapeItPromises() throws Exception {
    Map<String, Map<String, Object>> services = services(config("cluster"));
    assertAtnaCommandsParse(services);

    assertThat(named(services, "controller-")).hasSize(3);
    assertThat(named(services, "kafka-")).hasSize(3);
    for (Map<String, Object> broker : named(services, "kafka-")) {
      Map<?, ?> env = (Map<?, ?>) broker.get("environment");
      assertThat(env.get("KAFKA_PROCESS_ROLES")).isEqualTo("broker");
      assertThat(env.get("KAFKA_AUTO_CREATE_TOPICS_ENABLE")).isEqualTo("false");
      assertThat(env.get("KAFKA_DEFAULT_REPLICATION_FACTOR")).isEqualTo("3");
      assertThat(env.get("KAFKA_MIN_INSYNC_REPLICAS")).isEqualTo("2");
    }
    assertThat(named(services, "es-")).hasSize(3);
    for (Map<String, Object> node : named(services, "es-")) {
      Map<?, ?> env = (Map<?, ?>) node.get("environment");
      assertThat(env.get("xpack.security.enabled")).isEqualTo("true");
      assertThat(env.get("xpack.security.http.ssl.enabled")).isEqualTo("true");
    }
    for (String service : List.of("ingest", "streams", "indexer", "api")) {
      List<Map<String, Object>> instances = named(services, service + "-");
      assertThat(instances).as(service).hasSize(2);
      for (Map<String, Object> s : instances) {
        assertThat(command(s)).first().isEqualTo(service);
        assertThat(s).as(service).containsKey("healthcheck");
        assertThat(s.get("healthcheck").toString()).contains("healthcheck.sh");
      }
    }
    assertThat(command(services.get("topics")))
        .containsSequence("topics", "create")
        .contains("--replication-factor=3", "--min-insync-replicas=2");
    assertThat(services).containsKeys("ingest-lb", "api-lb");
    assertThat(services.get("ingest-lb").get("ports").toString()).contains("6514", "udp");

    // keys and passwords come from Compose secrets, never from the file
    String text = Files.readString(COMPOSE.resolve("cluster/compose.yaml"));
    assertThat(text).doesNotContain("-----BEGIN").doesNotContainIgnoringCase("password=");
    for (Map<String, Object> s : named(services, "indexer-")) {
      assertThat(command(s))
          .contains("--elasticsearch-password-file=/run/secrets/elastic-password")
          .anyMatch(a -> a.startsWith("--elasticsearch-url=https://"));
    }
  }

  @Test
  void makeSecrets_writesEveryFileTheClusterNames_inTheFormsTheProductReads() throws Exception {
    Path out = dir.resolve("secrets");
    run(List.of(COMPOSE.resolve("cluster/make-secrets.sh").toString(), out.toString()));
    String text = Files.readString(COMPOSE.resolve("cluster/compose.yaml"));
    Matcher m = Pattern.compile("file: \\./secrets/([\\w.-]+)").matcher(text);
    int files = 0;
    while (m.find()) {
      assertThat(out.resolve(m.group(1))).as(m.group(1)).isRegularFile();
      files++;
    }
    assertThat(files).isGreaterThanOrEqualTo(10);
    // the checkpoint key pair as streams loads it, the TLS key and chain as ingest loads them
    assertThat(CheckpointKeys.loadOrCreate(out).keyId()).isNotBlank();
    assertThat(PemFiles.privateKey(out.resolve("syslog-tls.key"), "--tls-key")).isNotNull();
    assertThat(PemFiles.certificates(out.resolve("syslog-tls.crt"), "--tls-cert")).hasSize(1);
    // idempotent: a second run keeps every file
    byte[] key = Files.readAllBytes(out.resolve("checkpoint-ed25519.key"));
    run(List.of(COMPOSE.resolve("cluster/make-secrets.sh").toString(), out.toString()));
    assertThat(Files.readAllBytes(out.resolve("checkpoint-ed25519.key"))).isEqualTo(key);
  }

  @Test
  void dockerfile_copiesWhatTheBuildMakes() throws IOException {
    String dockerfile = Files.readString(COMPOSE.resolve("Dockerfile"));
    Matcher m = DOCKER_COPY.matcher(dockerfile);
    List<String> sources = new ArrayList<>();
    while (m.find()) {
      sources.add(m.group(1));
      assertThat(ROOT.resolve(m.group(1))).as(m.group(1)).exists();
    }
    assertThat(sources).contains("all-in-one/target/atna-bridge.jar", "all-in-one/target/lib/");
    assertThat(dockerfile).contains("USER atna").containsPattern("FROM \\$\\{JRE_IMAGE}");
    assertThat(dockerfile).containsPattern("ARG JRE_IMAGE=eclipse-temurin:\\d+\\.\\d+\\.\\d+_\\d+");
  }

  @Test
  void healthcheckScript_healthyOnlyOn200() throws Exception {
    int[] status = {200};
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/health/ready",
        x -> {
          byte[] body = "{}".getBytes(UTF_8);
          x.sendResponseHeaders(status[0], body.length);
          x.getResponseBody().write(body);
          x.close();
        });
    server.start();
    try {
      String port = String.valueOf(server.getAddress().getPort());
      String script = COMPOSE.resolve("healthcheck.sh").toString();
      assertThat(exit(List.of(script, port))).isZero();
      status[0] = 503;
      assertThat(exit(List.of(script, port))).isNotZero();
      assertThat(exit(List.of(script, String.valueOf(FreePorts.next())))).isNotZero();
    } finally {
      server.stop(0);
    }
  }

  private static void assertAtnaCommandsParse(Map<String, Map<String, Object>> services) {
    int parsed = 0;
    for (Map.Entry<String, Map<String, Object>> e : services.entrySet()) {
      if (!String.valueOf(e.getValue().get("image")).startsWith("atna-bridge:")) {
        continue;
      }
      List<String> args = command(e.getValue());
      CommandLine cli = new CommandLine(new AtnaBridgeCommand());
      // throws on an unknown option, a missing value or an unknown subcommand
      CommandLine.ParseResult result = cli.parseArgs(args.toArray(String[]::new));
      assertThat(result.hasSubcommand()).as(e.getKey() + ": " + args).isTrue();
      parsed++;
    }
    assertThat(parsed).isPositive();
  }

  @SuppressWarnings("unchecked")
  private static List<String> command(Map<String, Object> service) {
    return ((List<Object>) service.get("command")).stream().map(String::valueOf).toList();
  }

  private static List<Map<String, Object>> named(
      Map<String, Map<String, Object>> services, String prefix) {
    return services.entrySet().stream()
        .filter(e -> e.getKey().startsWith(prefix) && e.getKey().matches(".*-\\d+"))
        .map(Map.Entry::getValue)
        .toList();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> services(String rendered) {
    Map<String, Object> doc = new Yaml().load(rendered);
    return new LinkedHashMap<>((Map<String, Map<String, Object>>) doc.get("services"));
  }

  /** {@code docker-compose config}: the file as Compose reads it, or the test fails. */
  private String config(String deployment) throws Exception {
    Path out = dir.resolve(deployment + ".yaml");
    Path err = dir.resolve(deployment + ".err");
    Process p =
        new ProcessBuilder(
                "docker-compose",
                "-f",
                COMPOSE.resolve(deployment + "/compose.yaml").toString(),
                "config")
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(Files.readString(err)).isZero();
    return Files.readString(out);
  }

  private void run(List<String> command) throws Exception {
    Path log = Files.createTempFile(dir, "run", ".log");
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(Files.readString(log)).isZero();
  }

  private static int exit(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return p.exitValue();
  }
}
