package org.atnabridge.allinone;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The requests the acceptance test sends through nginx: every RESTful interaction the conversion
 * knows, every way a request names a patient, a 404, a 403 and a 500, two lines the conversion
 * drops, and a query carrying an OAuth access token. Each request's target is unique, so its events
 * can be told apart.
 */
final class FhirTraffic {

  /** An access token value that must appear nowhere the bridge stores or reports anything. */
  static final String SECRET = "tok-" + Long.toHexString(Double.doubleToLongBits(Math.random()));

  /** One request: method, target below the nginx root, body (null = none), content type. */
  record Call(String method, String target, String body, String contentType, String user) {
    /** The key goldens use: method and target, the secret replaced by its mask. */
    Call as(String basicUser) {
      return new Call(method, target, body, contentType, basicUser);
    }

    String key() {
      return method + " " + target.replace(SECRET, "REDACTED");
    }
  }

  private static final String PATIENT_JSON = "{\"resourceType\":\"Patient\",\"id\":\"p1\"}";
  private static final String TX_BUNDLE =
      "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"resource\":"
          + "{\"resourceType\":\"Patient\"},\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}}]}";

  /** Calls that become AuditEvents, in the order sent. */
  static final List<Call> AUDITED =
      List.of(
          get("/fhir/metadata"),
          get("/fhir/Patient/p1").as("dr.who"),
          get("/fhir/Patient/p1/_history/1"),
          new Call("PUT", "/fhir/Patient/p1", PATIENT_JSON, "application/fhir+json", null),
          new Call(
              "PATCH",
              "/fhir/Patient/p1",
              "[{\"op\":\"replace\",\"path\":\"/active\",\"value\":true}]",
              "application/json-patch+json",
              null),
          new Call("DELETE", "/fhir/Patient/p2", null, null, "dr.who"),
          new Call(
              "POST",
              "/fhir/Patient",
              "{\"resourceType\":\"Patient\"}",
              "application/fhir+json",
              null),
          get("/fhir/Patient?name=Test"),
          new Call(
              "POST",
              "/fhir/Patient/_search",
              "name=Test",
              "application/x-www-form-urlencoded",
              null),
          get("/fhir?_type=Patient&_lastUpdated=gt2026-01-01"),
          get("/fhir/Patient/p3/Observation"),
          get("/fhir/Patient/p1/_history"),
          get("/fhir/Patient/_history"),
          get("/fhir/_history"),
          new Call("POST", "/fhir", TX_BUNDLE, "application/fhir+json", null),
          get("/fhir/$ping"),
          get("/fhir/Patient/$meta"),
          get("/fhir/Patient/p1/$everything"),
          get("/fhir/Observation?patient=p4"),
          get("/fhir/Observation?subject=Patient/p5"),
          get("/fhir/Observation?subject:Patient=p6"),
          get("/fhir/Observation?patient.identifier=urn:oid:1.2.3%7Cmrn-7"),
          get("/fhir/Observation?patient=p8,p9"),
          get("/fhir/Patient/" + FhirBackend.MISSING),
          get("/fhir/Patient/" + FhirBackend.FORBIDDEN),
          get("/fhir/Patient/" + FhirBackend.BROKEN),
          get("/fhir/Observation?patient=p10&access_token=" + SECRET));

  /** Calls the conversion drops (nginx answers them itself). */
  static final List<Call> DROPPED = List.of(get("/health"), get("/static/app.js"));

  /** AuditEvents {@link #AUDITED} becomes: one per call, two for {@code patient=p8,p9}. */
  static final int EVENTS = AUDITED.size() + 1;

  private FhirTraffic() {}

  private static Call get(String target) {
    return new Call("GET", target, null, null, null);
  }

  /**
   * Sends every call, audited and dropped, through nginx in order.
   *
   * @return each call's HTTP status, by {@link Call#key()}
   */
  static Map<String, Integer> send(String nginxBaseUrl) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    Map<String, Integer> statuses = new LinkedHashMap<>();
    List<Call> all = new ArrayList<>(AUDITED);
    all.addAll(DROPPED);
    for (Call call : all) {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(nginxBaseUrl + call.target()))
              .method(
                  call.method(),
                  call.body() == null
                      ? BodyPublishers.noBody()
                      : BodyPublishers.ofString(call.body(), StandardCharsets.UTF_8))
              .header("Accept", "application/fhir+json")
              .header("User-Agent", "atna-bridge-acceptance");
      if (call.contentType() != null) {
        request.header("Content-Type", call.contentType());
      }
      if (call.user() != null) {
        // nginx logs $remote_user from Basic credentials, which the conversion audits as the user
        request.header(
            "Authorization",
            "Basic "
                + Base64.getEncoder()
                    .encodeToString((call.user() + ":pw").getBytes(StandardCharsets.UTF_8)));
      }
      statuses.put(call.key(), http.send(request.build(), BodyHandlers.discarding()).statusCode());
    }
    return statuses;
  }
}
