package org.atnabridge.search.subscription;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.atnabridge.schemas.Fhir;
import org.atnabridge.testing.FreePorts;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.SubscriptionStatus;

/**
 * A rest-hook endpoint on the JDK HttpServer: keeps every POST (raw body, headers, parsed Bundle)
 * and answers each path with its {@link #status} (200 unless a test takes it down) or its {@link
 * #redirects 302}.
 */
final class HookReceiver implements AutoCloseable {

  record Received(String path, String body, String authorization, Bundle bundle) {
    SubscriptionStatus status() {
      return (SubscriptionStatus) bundle.getEntryFirstRep().getResource();
    }

    String type() {
      return status().getType().toCode();
    }
  }

  final List<Received> received = new CopyOnWriteArrayList<>();

  /** Answers by path; 200 for a path not listed. */
  final Map<String, Integer> status = new ConcurrentHashMap<>();

  /** Paths answered with a 302 to the given URL. */
  final Map<String, String> redirects = new ConcurrentHashMap<>();

  /** Every request by path, answered or not. */
  final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();

  private final HttpServer server;

  HookReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", FreePorts.next()), 50);
    server.createContext("/", this::handle);
    server.start();
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  String prefix() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String path = exchange.getRequestURI().getPath();
    hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
    String redirect = redirects.get(path);
    if (redirect != null) {
      exchange.getResponseHeaders().add("Location", redirect);
      exchange.sendResponseHeaders(302, -1);
      exchange.close();
      return;
    }
    int answer = status.getOrDefault(path, 200);
    if (answer / 100 == 2) {
      Bundle b = Fhir.jsonParser().parseResource(Bundle.class, body);
      received.add(
          new Received(path, body, exchange.getRequestHeaders().getFirst("Authorization"), b));
    }
    exchange.sendResponseHeaders(answer, -1);
    exchange.close();
  }

  List<Received> at(String path) {
    return received.stream().filter(r -> r.path().equals(path)).toList();
  }

  List<Received> at(String path, String type) {
    return at(path).stream().filter(r -> r.type().equals(type)).toList();
  }

  int hits(String path) {
    AtomicInteger n = hits.get(path);
    return n == null ? 0 : n.get();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
