package org.atnabridge.allinone;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.atnabridge.allinone.RestHookNotifications.Delivered;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.testing.ElasticsearchExtension;
import org.atnabridge.testing.ElasticsearchNode;
import org.atnabridge.testing.FreePorts;
import org.atnabridge.testing.TestVectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Subscription delivery survives the death of the node delivering it: two {@code atna-bridge api}
 * JVMs share the delivery consumer group over {@code audit.notifications} on the real broker; in
 * the middle of a stream of 5,000 matching events the one delivering the subscription is killed
 * with SIGKILL. The other takes its partitions over from the last committed position: after
 * deduplication the rest-hook received eventNumbers 1..5000, none missing, a repeat always with the
 * same event, and in order apart from the one step back where the survivor resumed.
 */
@ExtendWith(ElasticsearchExtension.class)
class SubscriptionFailoverFaultIT {

  private static final int EVENTS = 5_000;
  private static final Pattern NUMBER = Pattern.compile("F(\\d{6})");
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dir;
  private final List<AutoCloseable> running = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (int i = running.size() - 1; i >= 0; i--) {
      running.get(i).close();
    }
  }

  @Test
  void theDeliveringApiKilledMidStream_theOtherContinues_eventNumbersContiguous(
      ElasticsearchNode es) throws Exception {
    List<Delivered> delivered = new CopyOnWriteArrayList<>();
    List<String> unreadable = new CopyOnWriteArrayList<>();
    HttpServer hook =
        RestHookNotifications.receiver(FreePorts.next(), NUMBER, delivered, unreadable);
    running.add(() -> hook.stop(0));
    String prefix = "http://127.0.0.1:" + hook.getAddress().getPort() + "/";

    EmbeddedKafkaBroker kafka =
        new EmbeddedKafkaBroker(Files.createDirectories(dir.resolve("kafka")), 0, Map.of()).start();
    running.add(kafka);
    String bootstrap = kafka.bootstrapServers();
    String alias = "failover-" + UUID.randomUUID();
    Path shared = dir.resolve("shared"); // streams' checkpoint key, the APIs' token key
    started(
            "streams",
            "--kafka-bootstrap",
            bootstrap,
            "--data-dir",
            shared.toString(),
            "--health-port",
            String.valueOf(FreePorts.next()))
        .awaitReady(Duration.ofSeconds(120));
    int syslog = FreePorts.next();
    ServeProcess ingest =
        started(
            "ingest",
            "--kafka-bootstrap",
            bootstrap,
            "--syslog-host",
            "127.0.0.1",
            "--syslog-port",
            String.valueOf(syslog),
            "--health-port",
            String.valueOf(FreePorts.next()));
    List<Integer> httpPorts = List.of(FreePorts.next(), FreePorts.next());
    List<ServeProcess> apis = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Path data = i == 0 ? shared : dir.resolve("api-2");
      if (i > 0) { // the same token key as the first, state of its own
        Path keys = Files.createDirectories(data.resolve("keys"));
        try (var files = Files.list(shared.resolve("keys"))) {
          for (Path f : files.toList()) {
            Files.copy(f, keys.resolve(f.getFileName()));
          }
        }
      }
      ServeProcess api =
          started(
              "api",
              "--kafka-bootstrap",
              bootstrap,
              "--data-dir",
              data.toString(),
              "--elasticsearch-url",
              es.url(),
              "--elasticsearch-index",
              alias,
              "--http-port",
              String.valueOf(httpPorts.get(i)),
              "--subscription-allow-http",
              "--subscription-endpoints",
              prefix);
      api.awaitReady(Duration.ofSeconds(120));
      apis.add(api);
    }
    ingest.awaitReady(Duration.ofSeconds(120));

    String bearer = ServeProcess.token(shared, "system/Subscription.cruds system/AuditEvent.rs");
    String base = "http://127.0.0.1:" + httpPorts.get(0) + "/fhir";
    HttpResponse<String> created =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + "/Subscription"))
                .header("Authorization", "Bearer " + bearer)
                .header("Content-Type", "application/fhir+json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        RestHookNotifications.patientRecordSubscription(prefix + "hook")))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> delivered.stream().anyMatch(d -> d.number() == 0)); // the handshake

    Thread sender = Thread.ofPlatform().start(() -> send(syslog));
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> distinct(delivered).size() >= 1_000);
    int victim = deliveringApi(httpPorts);
    apis.get(victim).kill();
    int atKill = distinct(delivered).size();
    assertThat(atKill).as("the kill came in the middle of the stream").isLessThan(EVENTS);

    sender.join(TimeUnit.MINUTES.toMillis(3));
    await()
        .atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () ->
                assertThat(distinct(delivered))
                    .as(
                        () ->
                            "unreadable notifications: "
                                + unreadable
                                + "\nsurvivor's log:\n"
                                + apis.get(1 - victim).log())
                    .hasSize(EVENTS));

    assertThat(unreadable).isEmpty();
    List<Delivered> events = delivered.stream().filter(d -> d.number() > 0).toList();
    TreeSet<Long> numbers = distinct(delivered);
    assertThat(numbers.first()).isEqualTo(1);
    assertThat(numbers.last()).as("contiguous 1..%d, none missing", EVENTS).isEqualTo(EVENTS);
    // a repeat carries the same eventNumber for the same event
    Map<Long, Integer> patientOf = new HashMap<>();
    for (Delivered d : events) {
      Integer before = patientOf.putIfAbsent(d.number(), d.message());
      assertThat(before == null || before == d.message())
          .as("eventNumber %d delivered for two different events", d.number())
          .isTrue();
    }
    assertThat(new TreeSet<>(patientOf.values())).hasSize(EVENTS);
    // in order: numbers only go up, except where the survivor took over
    int stepsBack = 0;
    for (int i = 1; i < events.size(); i++) {
      if (events.get(i).number() < events.get(i - 1).number()) {
        stepsBack++;
      }
    }
    assertThat(stepsBack).as("steps back in the delivered order").isLessThanOrEqualTo(1);
  }

  private static TreeSet<Long> distinct(List<Delivered> delivered) {
    TreeSet<Long> numbers = new TreeSet<>();
    for (Delivered d : delivered) {
      if (d.number() > 0) {
        numbers.add(d.number());
      }
    }
    return numbers;
  }

  /** The API instance whose metrics count delivered events: the one owning the subscription. */
  private static int deliveringApi(List<Integer> httpPorts) throws Exception {
    for (int i = 0; i < httpPorts.size(); i++) {
      String metrics =
          HTTP.send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + httpPorts.get(i) + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      Matcher m =
          Pattern.compile("(?m)^atna_subscription_events_delivered_total(?:\\{[^}]*})? (\\S+)")
              .matcher(metrics);
      if (m.find() && Double.parseDouble(m.group(1)) > 0) {
        return i;
      }
    }
    throw new AssertionError("no API instance has delivered anything");
  }

  /** 5,000 numbered ITI-8 messages in batches of 250 every 0.5 s, over one TCP connection each. */
  private static void send(int syslog) {
    String xml =
        new String(TestVectors.bytes("dicom-audit-xml/ipf-pixfeed.xml"), UTF_8)
            .replaceAll("\\R\\s*", "");
    for (int start = 0; start < EVENTS; start += 250) {
      byte[][] batch = new byte[250][];
      for (int i = 0; i < 250; i++) {
        batch[i] =
            AtnaTraffic.syslog5424(
                xml.replace("7627199^^^", String.format("F%06d^^^", start + i)).getBytes(UTF_8));
      }
      AtnaTraffic.sendOctetCounted(syslog, batch);
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private ServeProcess started(String command, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of(command));
    all.addAll(List.of(args));
    ServeProcess p =
        ServeProcess.start(
            dir.resolve(command + "-" + running.size() + ".log"), all.toArray(String[]::new));
    running.add(p);
    return p;
  }
}
