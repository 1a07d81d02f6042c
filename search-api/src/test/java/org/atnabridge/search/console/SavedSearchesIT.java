package org.atnabridge.search.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.rest.server.RestfulServer;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.schemas.Topics;
import org.atnabridge.search.SearchServer;
import org.atnabridge.search.security.LocalIssuer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /console/saved-searches} on real API nodes over a real broker: per-user isolation, the
 * CSRF header on writes, and the searches kept across a restart of the API and shared by two nodes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SavedSearchesIT {

  @TempDir static Path dir;
  private EmbeddedKafkaBroker kafka;
  private final List<AutoCloseable> nodes = new ArrayList<>();
  private final HttpClient http =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  @BeforeAll
  void startBroker() {
    kafka = new EmbeddedKafkaBroker(dir.resolve("kafka"), 0, Map.of()).start();
    kafka.createTopics(Topics.newTopics((short) 1));
  }

  @AfterAll
  void stopBroker() {
    kafka.close();
  }

  @AfterEach
  void stopNodes() throws Exception {
    for (AutoCloseable n : nodes.reversed()) {
      n.close();
    }
    nodes.clear();
  }

  /** One API node: a console on its own Jetty, the saved searches in the shared topic. */
  private record Node(SearchServer server, KafkaSavedSearches store) implements AutoCloseable {
    String url() {
      return server.consoleUrl();
    }

    @Override
    public void close() {
      server.close();
      store.close();
    }
  }

  private Node node() {
    return node(kafka);
  }

  private Node node(EmbeddedKafkaBroker broker) {
    Path data = dir.resolve("data");
    KafkaSavedSearches store =
        KafkaSavedSearches.start(
            broker.bootstrapServers(), Clock.systemUTC(), Duration.ofSeconds(30));
    LocalIssuer issuer = LocalIssuer.openOrCreate(data.resolve("keys"));
    SearchServer server = new SearchServer("127.0.0.1", 0, new RestfulServer(Fhir.context()));
    Console.mount(server, issuer, issuer.settings(), data, Clock.systemUTC(), store);
    server.start();
    Node n = new Node(server, store);
    nodes.add(n);
    return n;
  }

  /** A signed-in officer: the session cookie and its CSRF token. */
  private record Officer(String cookie, String csrf) {}

  private Officer signIn(Node node, String subject) throws Exception {
    String link =
        Console.link(
            dir.resolve("data"),
            node.url(),
            subject,
            Console.DEFAULT_SCOPE,
            null,
            Set.of(),
            Duration.ofMinutes(5));
    HttpResponse<String> login = send(HttpRequest.newBuilder(URI.create(link)).GET(), null);
    assertThat(login.statusCode()).isEqualTo(303);
    String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
    HttpResponse<String> session =
        send(HttpRequest.newBuilder(URI.create(node.url() + "console/session")).GET(), cookie);
    String csrf = JSONObjectUtils.getString(JSONObjectUtils.parse(session.body()), "csrf");
    return new Officer(cookie, csrf);
  }

  private HttpResponse<String> send(HttpRequest.Builder b, String cookie) throws Exception {
    if (cookie != null) {
      b.header("Cookie", cookie);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> save(Node node, Officer o, String name, String query, boolean csrf)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(node.url() + "console/saved-searches"))
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    JSONObjectUtils.toJSONString(Map.of("name", name, "query", query))));
    if (csrf) {
      b.header(ConsoleSessions.CSRF_HEADER, o.csrf());
    }
    return send(b, o.cookie());
  }

  private List<String> names(Node node, Officer o) throws Exception {
    HttpResponse<String> r =
        send(
            HttpRequest.newBuilder(URI.create(node.url() + "console/saved-searches")).GET(),
            o.cookie());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    List<String> names = new ArrayList<>();
    for (Map<String, Object> s :
        JSONObjectUtils.getJSONObjectArray(JSONObjectUtils.parse(r.body()), "searches")) {
      names.add(s.get("name") + " " + s.get("query"));
    }
    return names;
  }

  private static String id(HttpResponse<String> saved) throws Exception {
    return JSONObjectUtils.getString(JSONObjectUtils.parse(saved.body()), "id");
  }

  private HttpResponse<String> delete(Node node, Officer o, String id, boolean csrf)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(node.url() + "console/saved-searches/" + id)).DELETE();
    if (csrf) {
      b.header(ConsoleSessions.CSRF_HEADER, o.csrf());
    }
    return send(b, o.cookie());
  }

  @Test
  void eachOfficerSeesAndDeletesOnlyTheirOwnSearches() throws Exception {
    Node node = node();
    Officer alice = signIn(node, "alice-isolation");
    Officer bob = signIn(node, "bob-isolation");
    HttpResponse<String> a = save(node, alice, "Break glass", "purpose=BTG", true);
    assertThat(a.statusCode()).as(a.body()).isEqualTo(201);
    assertThat(save(node, bob, "Bob's", "agent=bob", true).statusCode()).isEqualTo(201);

    assertThat(names(node, alice)).containsExactly("Break glass purpose=BTG");
    assertThat(names(node, bob)).containsExactly("Bob's agent=bob");
    // Bob cannot delete Alice's search by its id: to him it does not exist
    assertThat(delete(node, bob, id(a), true).statusCode()).isEqualTo(404);
    assertThat(names(node, alice)).containsExactly("Break glass purpose=BTG");
    assertThat(delete(node, alice, id(a), true).statusCode()).isEqualTo(204);
    assertThat(names(node, alice)).isEmpty();
    assertThat(names(node, bob)).containsExactly("Bob's agent=bob");
  }

  @Test
  void writesWithoutTheCsrfHeader_orWithoutASession_areRefused() throws Exception {
    Node node = node();
    Officer carol = signIn(node, "carol-csrf");
    HttpResponse<String> forged = save(node, carol, "Forged", "agent=x", false);
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(names(node, carol)).isEmpty();

    String id = id(save(node, carol, "Kept", "agent=carol", true));
    assertThat(delete(node, carol, id, false).statusCode()).isEqualTo(403);
    assertThat(names(node, carol)).containsExactly("Kept agent=carol");

    Officer nobody = new Officer("atna-session=not-a-session", carol.csrf());
    assertThat(save(node, nobody, "Anon", "agent=x", true).statusCode()).isEqualTo(401);
    assertThat(
            send(
                    HttpRequest.newBuilder(URI.create(node.url() + "console/saved-searches")).GET(),
                    null)
                .statusCode())
        .isEqualTo(401);
    // a bad body is refused with a reason, nothing is stored
    assertThat(save(node, carol, "", "agent=x", true).statusCode()).isEqualTo(400);
    assertThat(names(node, carol)).containsExactly("Kept agent=carol");
  }

  @Test
  void searchesOutliveARestart_andEveryNodeServesTheSameList() throws Exception {
    Node first = node();
    Officer dave = signIn(first, "dave-restart");
    assertThat(save(first, dave, "Night reads", "action=R&outcome=0", true).statusCode())
        .isEqualTo(201);
    first.close();
    nodes.remove(first);

    // a new process on the same broker: the cookie is still valid, the search still there
    Node restarted = node();
    assertThat(names(restarted, dave)).containsExactly("Night reads action=R&outcome=0");

    // a second node behind the same load balancer sees what the first one saves
    Node second = node();
    assertThat(save(restarted, dave, "Failures", "outcome:not=0", true).statusCode())
        .isEqualTo(201);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(names(second, dave))
                    .containsExactly("Night reads action=R&outcome=0", "Failures outcome:not=0"));
  }

  @Test
  void aWriteTheBrokerDoesNotAcknowledge_is503_andChangesNothing() throws Exception {
    EmbeddedKafkaBroker own =
        new EmbeddedKafkaBroker(dir.resolve("kafka-down"), 0, Map.of()).start();
    own.createTopics(Topics.newTopics((short) 1));
    Node node = node(own);
    Officer erin = signIn(node, "erin-broker-down");
    HttpResponse<String> kept = save(node, erin, "Kept", "action=R", true);
    assertThat(kept.statusCode()).isEqualTo(201);
    String brokerAddress = own.bootstrapServers();
    own.close();

    HttpResponse<String> refused = save(node, erin, "Lost?", "action=C", true);
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
    assertThat(refused.headers().firstValue("Retry-After")).hasValue("10");
    assertThat(refused.body())
        .contains("cannot be written right now")
        .doesNotContain("Exception")
        .doesNotContain(brokerAddress)
        .doesNotContain("console.saved-searches");
    HttpResponse<String> notDeleted = delete(node, erin, id(kept), true);
    assertThat(notDeleted.statusCode()).as(notDeleted.body()).isEqualTo(503);
    // the node keeps serving what it holds: the saved search is neither lost nor doubled
    assertThat(names(node, erin)).containsExactly("Kept action=R");
  }
}
