package org.atnabridge.search.console;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.server.RestfulServer;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.search.SearchServer;
import org.atnabridge.search.feed.AuditEventFeed;
import org.atnabridge.search.security.LocalIssuer;
import org.atnabridge.store.AuditEventMatcher;
import org.atnabridge.store.query.SearchParameters;
import org.hl7.fhir.r5.model.AuditEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's sign-ins on a real Jetty: a sign-in by link, its reuse and the sign-out each leave
 * one AuditEvent in the feed (User Authentication Login/Logout, a Security Alert for the refusal),
 * and the link, a credential, is in none of them.
 */
class ConsoleSignInAuditTest {

  @TempDir Path data;
  private final List<AuditEvent> written = new CopyOnWriteArrayList<>();
  private SearchServer server;
  private final HttpClient http =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  @BeforeEach
  void start() {
    AuditEventFeed feed =
        new AuditEventFeed() {
          @Override
          public void publish(List<AuditEvent> events) {
            written.addAll(events);
          }

          @Override
          public void close() {}
        };
    LocalIssuer issuer = LocalIssuer.openOrCreate(data.resolve("keys"));
    server = new SearchServer("127.0.0.1", 0, new RestfulServer(Fhir.context()));
    Console.mount(
        server,
        issuer,
        issuer.settings(),
        data,
        Clock.systemUTC(),
        null,
        new SignInAudit(feed, "atna-bridge-test", Clock.systemUTC()));
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void signIn_reuse_andSignOut_areEachAudited_withoutTheLink() throws Exception {
    String link =
        Console.link(
            data,
            server.consoleUrl(),
            "olivia-officer",
            Console.DEFAULT_SCOPE,
            null,
            Set.of(),
            Duration.ofMinutes(5));
    HttpResponse<String> login = get(link, null);
    assertThat(login.statusCode()).isEqualTo(303);
    String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];

    assertThat(written).hasSize(1);
    AuditEvent in = written.get(0);
    assertThat(in.getCategoryFirstRep().getCodingFirstRep().getCode()).isEqualTo("110114");
    assertThat(in.getCode().getCodingFirstRep().getCode()).isEqualTo("110122");
    assertThat(in.getOutcome().getCode().getCode()).isEqualTo("0");
    assertThat(in.getAgentFirstRep().getWho().getIdentifier().getValue())
        .isEqualTo("olivia-officer");
    assertThat(in.getAgentFirstRep().getNetworkStringType().getValue()).isEqualTo("127.0.0.1");
    assertThat(in.getIdPart()).isNotBlank();

    // the same link again: refused, a failed Login (what the default pack's login-failure rules
    // count), without the link
    assertThat(get(link, null).statusCode()).isEqualTo(410);
    assertThat(written).hasSize(2);
    AuditEvent refused = written.get(1);
    assertThat(refused.getCategoryFirstRep().getCodingFirstRep().getCode()).isEqualTo("110114");
    assertThat(refused.getCode().getCodingFirstRep().getCode()).isEqualTo("110122");
    assertThat(refused.getOutcome().getCode().getCode()).isEqualTo("4");
    assertThat(refused.getOutcome().getDetailFirstRep().getText()).contains("USED");
    assertThat(refused.getAgentFirstRep().getNetworkStringType().getValue()).isEqualTo("127.0.0.1");
    String token = URI.create(link).getQuery().substring("link=".length());
    assertThat(Fhir.jsonParser().encodeResourceToString(refused)).doesNotContain(token);
    // the rule pack's condition, through the same in-memory matcher the alert rules use
    assertThat(
            AuditEventMatcher.of(
                    SearchParameters.fromQueryString(
                        "category=http://dicom.nema.org/resources/ontology/DCM|110114"
                            + "&code=http://dicom.nema.org/resources/ontology/DCM|110122&outcome:not=0"))
                .test(refused))
        .isTrue();
    assertThat(
            AuditEventMatcher.of(
                    SearchParameters.fromQueryString(
                        "category=http://dicom.nema.org/resources/ontology/DCM|110114"
                            + "&code=http://dicom.nema.org/resources/ontology/DCM|110122&outcome:not=0"))
                .test(in))
        .isFalse();

    // sign-out: Logout for the same officer
    HttpResponse<String> session = get(server.consoleUrl() + "console/session", cookie);
    String csrf = JSONObjectUtils.getString(JSONObjectUtils.parse(session.body()), "csrf");
    HttpResponse<String> out =
        http.send(
            HttpRequest.newBuilder(URI.create(server.consoleUrl() + "console/logout"))
                .header("Cookie", cookie)
                .header(ConsoleSessions.CSRF_HEADER, csrf)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(out.statusCode()).isEqualTo(204);
    assertThat(written).hasSize(3);
    AuditEvent logout = written.get(2);
    assertThat(logout.getCategoryFirstRep().getCodingFirstRep().getCode()).isEqualTo("110114");
    assertThat(logout.getCode().getCodingFirstRep().getCode()).isEqualTo("110123");
    assertThat(logout.getAgentFirstRep().getWho().getIdentifier().getValue())
        .isEqualTo("olivia-officer");
    for (AuditEvent e : written) {
      assertThat(Fhir.jsonParser().encodeResourceToString(e)).doesNotContain(token);
    }
  }

  private HttpResponse<String> get(String url, String cookie) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
    if (cookie != null) {
      b.header("Cookie", cookie);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
