package org.atnabridge.search.subscription;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.atnabridge.schemas.Fhir;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.OperationOutcome;
import org.hl7.fhir.r5.model.Resource;
import org.hl7.fhir.r5.model.SubscriptionStatus;

/**
 * A websocket client on the JDK's {@code java.net.http.WebSocket}: keeps every text message (as
 * received and parsed), counts the server's pings (answered with pongs by the JDK) and tells when
 * the server closed.
 */
final class SocketClient implements WebSocket.Listener, AutoCloseable {

  /** One text message: its raw JSON and the resource it holds. */
  record Message(String text, Resource resource) {
    boolean isBundle() {
      return resource instanceof Bundle;
    }

    SubscriptionStatus status() {
      return (SubscriptionStatus) ((Bundle) resource).getEntryFirstRep().getResource();
    }

    String type() {
      return isBundle() ? status().getType().toCode() : "outcome";
    }

    String subscriptionId() {
      String ref = status().getSubscription().getReference();
      return ref.substring(ref.lastIndexOf('/') + 1);
    }

    String diagnostics() {
      return ((OperationOutcome) resource).getIssueFirstRep().getDiagnostics();
    }
  }

  final List<Message> messages = new CopyOnWriteArrayList<>();
  final AtomicInteger pings = new AtomicInteger();
  volatile int closedWith = -1;
  private final StringBuilder partial = new StringBuilder();
  private final WebSocket socket;

  SocketClient(String url) throws Exception {
    socket =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .buildAsync(URI.create(url), this)
            .get(10, TimeUnit.SECONDS);
  }

  void send(String text) throws Exception {
    socket.sendText(text, true).get(10, TimeUnit.SECONDS);
  }

  void bind(String token) throws Exception {
    send("bind-with-token " + token);
  }

  List<Message> of(String subscriptionId, String type) {
    return messages.stream()
        .filter(m -> m.isBundle() && m.type().equals(type))
        .filter(m -> m.subscriptionId().equals(subscriptionId))
        .toList();
  }

  List<Message> outcomes() {
    return messages.stream().filter(m -> !m.isBundle()).toList();
  }

  /** Event numbers received for {@code subscriptionId}, in arrival order. */
  List<Long> numbers(String subscriptionId) {
    return of(subscriptionId, "event-notification").stream()
        .flatMap(m -> m.status().getNotificationEvent().stream())
        .map(SubscriptionStatus.SubscriptionStatusNotificationEventComponent::getEventNumber)
        .toList();
  }

  @Override
  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
    synchronized (partial) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        messages.add(new Message(text, (Resource) Fhir.jsonParser().parseResource(text)));
      }
    }
    ws.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onPing(WebSocket ws, ByteBuffer message) {
    pings.incrementAndGet();
    return WebSocket.Listener.super.onPing(ws, message);
  }

  @Override
  public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
    closedWith = statusCode;
    return null;
  }

  @Override
  public void close() {
    if (!socket.isOutputClosed()) {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
    }
    socket.abort();
  }
}
