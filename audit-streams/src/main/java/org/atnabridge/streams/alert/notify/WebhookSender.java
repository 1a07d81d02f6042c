package org.atnabridge.streams.alert.notify;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import org.atnabridge.streams.alert.rules.Channel;

/**
 * Posts an alert's JSON to a webhook channel, signed as Standard Webhooks specifies: {@code
 * webhook-id} is the alert id (the same on every retry, so the receiver can deduplicate), {@code
 * webhook-timestamp} the Unix seconds of this attempt, {@code webhook-signature} one {@code v1}
 * signature per secret.
 *
 * <p>A 2xx answer delivers. 410 Gone is the receiver saying the endpoint is gone for good (Standard
 * Webhooks lets a sender stop there): the alert is dead-lettered at once with reason {@code GONE}.
 * Any other answer, a timeout or an I/O error is retried. Redirects are not followed (a receiver
 * could send the signed alert to another host): a 3xx is a failure like a 5xx; configure the final
 * URL.
 */
public final class WebhookSender {

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private final HttpClient client;
  private final Clock clock;

  public WebhookSender(Clock clock) {
    this.clock = clock;
    this.client =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(CONNECT_TIMEOUT)
            .build();
  }

  /**
   * @param alertId the {@code webhook-id}
   * @param body the alert JSON as it is on {@code audit.alerts}
   */
  public DeliveryOutcome send(Channel.Webhook channel, String alertId, byte[] body) {
    long timestamp = clock.instant().getEpochSecond();
    String signature;
    try {
      signature = WebhookSignature.of(channel.secrets()).sign(alertId, timestamp, body);
    } catch (IllegalArgumentException e) {
      return new DeliveryOutcome.Rejected("BAD_SECRET", String.valueOf(e.getMessage()));
    }
    HttpRequest request =
        HttpRequest.newBuilder(channel.url())
            .timeout(channel.timeout())
            .header("content-type", "application/json")
            .header("user-agent", "atna-bridge")
            .header("webhook-id", alertId)
            .header("webhook-timestamp", Long.toString(timestamp))
            .header("webhook-signature", signature)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    try {
      HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
      int status = response.statusCode();
      if (status >= 200 && status < 300) {
        return DeliveryOutcome.DELIVERED;
      }
      if (status == 410) {
        return new DeliveryOutcome.Rejected("GONE", "the receiver answered 410 Gone");
      }
      return new DeliveryOutcome.Retry("HTTP " + status);
    } catch (IOException e) {
      return new DeliveryOutcome.Retry(e.getClass().getSimpleName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new DeliveryOutcome.Retry("interrupted");
    }
  }
}
