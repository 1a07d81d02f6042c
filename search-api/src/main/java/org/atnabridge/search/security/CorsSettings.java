package org.atnabridge.search.security;

import java.util.List;
import java.util.Set;

/**
 * Cross-origin access for browser apps: off unless origins are listed. Origins must be exact
 * ({@code https://console.example.org}); a wildcard would let any page read audit data with a
 * stolen token, so {@code *} is refused.
 */
public record CorsSettings(Set<String> origins, Set<String> methods, Set<String> headers) {

  public static final Set<String> DEFAULT_METHODS = Set.of("GET", "POST");
  public static final Set<String> DEFAULT_HEADERS =
      Set.of("Authorization", "Content-Type", "Accept", "Prefer");

  public CorsSettings {
    origins = Set.copyOf(origins);
    methods = Set.copyOf(methods.isEmpty() ? DEFAULT_METHODS : methods);
    headers = Set.copyOf(headers.isEmpty() ? DEFAULT_HEADERS : headers);
    for (String o : origins) {
      if (!o.matches("https?://[A-Za-z0-9.-]+(:\\d{1,5})?")) {
        throw new IllegalArgumentException(
            "--cors-origins takes exact origins like https://app.example.org, got: " + o);
      }
    }
  }

  public static CorsSettings off() {
    return new CorsSettings(Set.of(), Set.of(), Set.of());
  }

  public static CorsSettings of(List<String> origins, List<String> methods, List<String> headers) {
    return new CorsSettings(
        Set.copyOf(clean(origins)), Set.copyOf(clean(methods)), Set.copyOf(clean(headers)));
  }

  public boolean enabled() {
    return !origins.isEmpty();
  }

  private static List<String> clean(List<String> values) {
    return values.stream().map(String::trim).filter(s -> !s.isEmpty()).distinct().toList();
  }
}
