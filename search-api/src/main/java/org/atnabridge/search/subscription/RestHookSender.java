package org.atnabridge.search.subscription;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.search.Integer64JsonWriter;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.Subscription;

/**
 * POSTs notification Bundles to rest-hook endpoints (R5 Subscription rest-hook channel): the body
 * in the subscription's content type (FHIR JSON, integer64 as strings, or FHIR XML), each {@code
 * parameter} as an HTTP header, {@code timeout} as the request timeout. The endpoint is checked
 * against the {@link EndpointPolicy} before every POST (its name is resolved again); redirects are
 * never followed (a 3xx is a failure). Header values are never logged; a failure's description
 * names the status or the exception type only.
 */
public final class RestHookSender implements AutoCloseable {

  /** What one POST came to: {@code failure} is empty on a 2xx answer. */
  public record Outcome(Optional<String> failure) {
    static Outcome ok() {
      return new Outcome(Optional.empty());
    }

    static Outcome failed(String why) {
      return new Outcome(Optional.of(why));
    }

    public boolean success() {
      return failure.isEmpty();
    }
  }

  private final EndpointPolicy policy;
  private final Duration defaultTimeout;
  private final Executor checks = Executors.newVirtualThreadPerTaskExecutor();
  private final HttpClient http;

  public RestHookSender(EndpointPolicy policy, Duration defaultTimeout) {
    this.policy = policy;
    this.defaultTimeout = defaultTimeout;
    this.http =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(defaultTimeout)
            .executor(checks)
            .build();
  }

  /** Sends {@code bundle} to {@code s}'s endpoint; never completes exceptionally. */
  public CompletableFuture<Outcome> post(Subscription s, Bundle bundle) {
    String endpoint = s.getEndpoint();
    return CompletableFuture.supplyAsync(() -> policy.refusal(endpoint), checks)
        .thenCompose(
            refusal -> {
              if (refusal.isPresent()) {
                return CompletableFuture.completedFuture(
                    Outcome.failed("endpoint refused: " + refusal.get()));
              }
              return send(s, bundle);
            })
        .exceptionally(e -> Outcome.failed(describe(e)));
  }

  private CompletableFuture<Outcome> send(Subscription s, Bundle bundle) {
    boolean xml = "application/fhir+xml".equals(s.getContentType());
    String body =
        xml
            ? Fhir.context().newXmlParser().encodeResourceToString(bundle)
            : Integer64JsonWriter.quote(Fhir.jsonParser().encodeResourceToString(bundle));
    Duration timeout = s.hasTimeout() ? Duration.ofSeconds(s.getTimeout()) : defaultTimeout;
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(s.getEndpoint()))
            .timeout(timeout)
            .header("Content-Type", (xml ? "application/fhir+xml" : "application/fhir+json"))
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    for (Subscription.SubscriptionParameterComponent p : s.getParameter()) {
      try {
        request.header(p.getName(), p.getValue());
      } catch (IllegalArgumentException e) {
        // a restricted or malformed header: the message would quote the value, so it is not kept
        return CompletableFuture.completedFuture(
            Outcome.failed("header " + p.getName() + " cannot be sent"));
      }
    }
    return http.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding())
        .thenApply(
            r ->
                r.statusCode() / 100 == 2
                    ? Outcome.ok()
                    : Outcome.failed("HTTP " + r.statusCode()));
  }

  private static String describe(Throwable e) {
    Throwable cause = e.getCause() != null ? e.getCause() : e;
    return cause.getClass().getSimpleName();
  }

  @Override
  public void close() {
    http.shutdownNow();
    if (checks instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception e) {
        // nothing left to release
      }
    }
  }
}
