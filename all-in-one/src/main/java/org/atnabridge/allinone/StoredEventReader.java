package org.atnabridge.allinone;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.search.security.LocalIssuer;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Bundle;
import org.jspecify.annotations.Nullable;

/**
 * Reads every stored AuditEvent through the FHIR API ({@code GET URL/fhir/AuditEvent?_count=1000},
 * following the {@code next} links).
 */
final class StoredEventReader {

  private final HttpClient http;
  private final Duration timeout;
  private final @Nullable String bearer;

  StoredEventReader(Duration timeout, @Nullable String bearer) {
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    this.timeout = timeout;
    this.bearer = bearer;
  }

  List<AuditEvent> fetch(String base) throws IOException, InterruptedException {
    StringBuilder q = new StringBuilder(base).append("/AuditEvent?_count=1000");
    List<AuditEvent> events = new ArrayList<>();
    String next = q.toString();
    while (next != null) {
      HttpResponse<String> r = get(next);
      if (r.statusCode() == 401 || r.statusCode() == 403) {
        throw new IllegalStateException(
            "GET "
                + next
                + " answered "
                + r.statusCode()
                + ": give --token (a token with "
                + "scope system/AuditEvent.rs and clearance V), or --data-dir of the local serve");
      }
      if (r.statusCode() != 200) {
        throw new IllegalStateException("GET " + next + " answered " + r.statusCode());
      }
      Bundle page = Fhir.jsonParser().parseResource(Bundle.class, r.body());
      for (Bundle.BundleEntryComponent e : page.getEntry()) {
        if (e.getResource() instanceof AuditEvent ae) {
          events.add(ae);
        }
      }
      Bundle.BundleLinkComponent link = page.getLink("next");
      next = link == null ? null : link.getUrl();
    }
    return events;
  }

  private HttpResponse<String> get(String uri) throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(uri))
            .timeout(timeout)
            .header("Accept", "application/fhir+json")
            .GET();
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * {@code --token}, else a short-lived token from the local issuer: the chain can only be checked
   * over every event, so it asks for system-wide read and the highest label clearance.
   */
  static @Nullable String bearer(@Nullable String token, Path dataDir) {
    if (token != null && !token.isBlank()) {
      return token.trim();
    }
    Path keys = dataDir.resolve("keys");
    if (!Files.isReadable(keys.resolve(LocalIssuer.KEY_FILE))) {
      return null;
    }
    return LocalIssuer.open(keys)
        .mint(
            "atna-bridge-verify",
            "system/AuditEvent.rs",
            null,
            Set.of("V"),
            Duration.ofMinutes(10));
  }
}
