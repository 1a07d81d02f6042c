package org.atnabridge.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The load driver's only HTTP code: FHIR searches as {@code GET base/AuditEvent?query} over one
 * shared {@link HttpClient} (HTTP/1.1, pooled keep-alive connections). Every request carries {@link
 * #headers}, so authentication (e.g. {@code Authorization: Bearer ...}) is added here and nowhere
 * else.
 */
final class FhirSearchClient {

  private static final Pattern TOTAL = Pattern.compile("\"total\"\\s*:\\s*(\\d+)");

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();
  private final String base;
  private final Map<String, String> headers;

  /**
   * @param base the FHIR base, e.g. {@code http://127.0.0.1:8080/fhir}
   * @param bearerToken sent as {@code Authorization: Bearer <token>} when not null
   */
  FhirSearchClient(String base, @Nullable String bearerToken) {
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Accept", "application/fhir+json");
    if (bearerToken != null && !bearerToken.isBlank()) {
      h.put("Authorization", "Bearer " + bearerToken);
    }
    this.headers = Map.copyOf(h);
  }

  /** One search's outcome: HTTP status and the Bundle's {@code total} (-1 when absent). */
  record Answer(int status, long total) {}

  /** {@code query} is already URL-encoded. */
  Answer search(String query) throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + "/AuditEvent?" + query))
            .timeout(Duration.ofSeconds(30))
            .GET();
    headers.forEach(b::header);
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    Matcher m = TOTAL.matcher(r.body());
    return new Answer(r.statusCode(), m.find() ? Long.parseLong(m.group(1)) : -1);
  }
}
