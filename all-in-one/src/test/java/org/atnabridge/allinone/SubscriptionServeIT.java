package org.atnabridge.allinone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.atnabridge.testing.FreePorts;
import org.atnabridge.testing.TestVectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} with FHIR Subscriptions wired: the packaged jar as a process, a token from {@code
 * atna-bridge token}, a rest-hook endpoint on the JDK HttpServer admitted by {@code
 * --subscription-endpoints}; the subscription is stored, handshaken and active, a loopback endpoint
 * outside the listed prefix is refused, and {@code /health/ready} (which checks them) answers 200.
 * End to end: ATNA events sent over syslog are matched by the streams application and delivered to
 * the hook by the API, numbered 1 and 2, and to a websocket subscription bound on {@code
 * /fhir/websocket} with its {@code $get-ws-binding-token} token (never in the log).
 */
class SubscriptionServeIT {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void serve_acceptsASubscription_handshakesIt_andRefusesAnEndpointOutsideTheList(@TempDir Path dir)
      throws Exception {
    List<String> received = new CopyOnWriteArrayList<>();
    HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", FreePorts.next()), 10);
    hook.createContext(
        "/",
        exchange -> {
          received.add(
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    hook.start();
    String prefix = "http://127.0.0.1:" + hook.getAddress().getPort() + "/";
    int http = ServeProcess.freePort();
    int syslog = ServeProcess.freePort();
    Path data = dir.resolve("data");
    try (ServeProcess serve =
        ServeProcess.serve(
                dir,
                http,
                syslog,
                0,
                "--subscription-allow-http",
                "--subscription-endpoints",
                prefix)
            .awaitReady(Duration.ofSeconds(120))) {
      String bearer = ServeProcess.token(data, "system/Subscription.cruds system/AuditEvent.rs");
      String base = "http://127.0.0.1:" + http + "/fhir";

      // the websocket channel: a websocket subscription bound with its token on /fhir/websocket
      HttpResponse<String> ws = post(base, bearer, webSocketSubscription());
      assertThat(ws.statusCode()).as(ws.body()).isEqualTo(201);
      String wsId =
          ws.headers()
              .firstValue("Location")
              .orElseThrow()
              .replaceAll(".*/Subscription/([^/]+).*", "$1");
      String binding =
          get(base + "/Subscription/" + wsId + "/$get-ws-binding-token", bearer).body();
      String wsToken = binding.replaceAll("(?s).*\"valueString\"\\s*:\\s*\"(wsb1[^\"]+)\".*", "$1");
      assertThat(binding).contains("ws://127.0.0.1:" + http + "/fhir/websocket");
      List<String> frames = new CopyOnWriteArrayList<>();
      WebSocket socket =
          HTTP.newWebSocketBuilder()
              .buildAsync(
                  URI.create("ws://127.0.0.1:" + http + "/fhir/websocket"),
                  new WebSocket.Listener() {
                    private final StringBuilder partial = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                      partial.append(data);
                      if (last) {
                        frames.add(partial.toString());
                        partial.setLength(0);
                      }
                      w.request(1);
                      return null;
                    }
                  })
              .get(10, TimeUnit.SECONDS);
      socket.sendText("bind-with-token " + wsToken, true).get(10, TimeUnit.SECONDS);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> frames.stream().anyMatch(f -> f.contains("\"handshake\"")));

      HttpResponse<String> created = post(base, bearer, subscription(prefix + "hook"));
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      String location = created.headers().firstValue("Location").orElseThrow();
      String id = location.replaceAll(".*/Subscription/([^/]+).*", "$1");
      assertThat(get(location, bearer).statusCode()).as(location).isEqualTo(200);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> received.stream().anyMatch(b -> b.contains("\"handshake\"")));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> get(base + "/Subscription/" + id, bearer).body().contains("\"active\""));

      // end to end: two ATNA "Patient Record" events over syslog, matched by the streams
      // application (filterBy category: DICOM EventID), numbered 1 and 2, delivered to the hook by
      // the API
      AtnaTraffic.sendOctetCounted(
          syslog,
          AtnaTraffic.syslog5424(TestVectors.bytes("dicom-audit-xml/ipf-pixfeed.xml")),
          AtnaTraffic.syslog5424(
              new String(
                      TestVectors.bytes("dicom-audit-xml/ipf-pixfeed.xml"), StandardCharsets.UTF_8)
                  .replace("7627199^^^", "7627200^^^")
                  .getBytes(StandardCharsets.UTF_8)));
      // both events may come in one notification Bundle (maxCount, default 100) or in two
      await()
          .atMost(Duration.ofSeconds(90))
          .untilAsserted(
              () ->
                  assertThat(notifications(received))
                      .as(
                          () ->
                              "the hook got "
                                  + received.size()
                                  + " requests; serve log:\n"
                                  + serve.log())
                      .contains("\"eventNumber\":\"1\"", "\"eventNumber\":\"2\""));
      assertThat(notifications(received))
          .contains("AuditEvent/")
          .doesNotContain("\"eventNumber\":\"3\"");
      // the same events, numbered for the websocket subscription, sent on the socket
      await()
          .atMost(Duration.ofSeconds(90))
          .untilAsserted(
              () ->
                  assertThat(notifications(frames))
                      .contains("\"eventNumber\":\"1\"", "\"eventNumber\":\"2\"")
                      .contains("Subscription/" + wsId));
      socket.abort();

      HttpResponse<String> refused =
          post(base, bearer, subscription("http://127.0.0.1:" + http + "/fhir/AuditEvent"));
      assertThat(refused.statusCode()).isEqualTo(422);
      assertThat(refused.body()).contains("Subscription.endpoint");

      assertThat(get("http://127.0.0.1:" + http + "/health/ready", bearer).statusCode())
          .isEqualTo(200);
      assertThat(serve.log()).doesNotContain("hook-secret").doesNotContain(wsToken);
    } finally {
      hook.stop(0);
    }
  }

  /** Every event-notification Bundle the hook received, joined. */
  private static String notifications(List<String> received) {
    return String.join(
        "\n", received.stream().filter(b -> b.contains("\"event-notification\"")).toList());
  }

  private static String webSocketSubscription() {
    return """
        {"resourceType":"Subscription","status":"requested",
         "topic":"http://atna-bridge.org/fhir/SubscriptionTopic/audit-event",
         "channelType":{"system":"http://terminology.hl7.org/CodeSystem/subscription-channel-type","code":"websocket"},
         "content":"id-only",
         "filterBy":[{"filterParameter":"category","value":"110110"}]}
        """;
  }

  private static String subscription(String endpoint) {
    return """
        {"resourceType":"Subscription","status":"requested",
         "topic":"http://atna-bridge.org/fhir/SubscriptionTopic/audit-event",
         "channelType":{"system":"http://terminology.hl7.org/CodeSystem/subscription-channel-type","code":"rest-hook"},
         "endpoint":"%s","content":"id-only",
         "filterBy":[{"filterParameter":"category","value":"110110"}],
         "parameter":[{"name":"Authorization","value":"Bearer hook-secret"}]}
        """
        .formatted(endpoint);
  }

  private static HttpResponse<String> post(String base, String bearer, String body)
      throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(base + "/Subscription"))
            .header("Authorization", "Bearer " + bearer)
            .header("Content-Type", "application/fhir+json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(String url, String bearer) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + bearer).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
