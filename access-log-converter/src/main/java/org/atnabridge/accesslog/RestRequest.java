package org.atnabridge.accesslog;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A request line read as a FHIR RESTful interaction.
 *
 * @param interaction what it does
 * @param resourceType the type in the path ({@code Patient} of {@code Patient/1/Observation})
 * @param id the resource id in the path
 * @param version the {@code _history} version of a vread
 * @param operation the {@code $name} of an operation
 * @param compartmentType the searched type of a compartment search ({@code Observation}, or {@code
 *     *})
 * @param path the decoded path below the base, without leading slash
 * @param query the query string (scrubbed, still percent-encoded), null when absent
 * @param parameters the query parameters decoded, in order
 */
public record RestRequest(
    Interaction interaction,
    @Nullable String resourceType,
    @Nullable String id,
    @Nullable String version,
    @Nullable String operation,
    @Nullable String compartmentType,
    String path,
    @Nullable String query,
    List<Map.Entry<String, String>> parameters) {

  /** {@code Type/id} or {@code Type/id/_history/vid}, null when the path names no instance. */
  public @Nullable String reference() {
    if (resourceType == null || id == null) {
      return null;
    }
    return version == null
        ? resourceType + "/" + id
        : resourceType + "/" + id + "/_history/" + version;
  }
}
