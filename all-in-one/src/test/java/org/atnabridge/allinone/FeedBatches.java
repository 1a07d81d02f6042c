package org.atnabridge.allinone;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

/** AuditEvents posted to a running API's FHIR feed as one batch Bundle, as the console ITs load. */
final class FeedBatches {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private FeedBatches() {}

  /** Posts {@code events} (AuditEvent JSON) to {@code fhir} as one batch; asserts a 200. */
  static void post(String fhir, String bearer, List<String> events) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(fhir))
                .header("Authorization", "Bearer " + bearer)
                .header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(bundle(events)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  /** The batch Bundle of {@code events}, each a POST to AuditEvent. */
  static String bundle(List<String> events) {
    StringBuilder b =
        new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[");
    for (int i = 0; i < events.size(); i++) {
      b.append(i == 0 ? "" : ",")
          .append("{\"resource\":")
          .append(events.get(i))
          .append(",\"request\":{\"method\":\"POST\",\"url\":\"AuditEvent\"}}");
    }
    return b.append("]}").toString();
  }
}
