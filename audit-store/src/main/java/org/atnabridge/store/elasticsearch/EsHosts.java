package org.atnabridge.store.elasticsearch;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The nodes of one cluster as {@link ElasticsearchAuditStore.Builder} takes them: {@code
 * http(s)://host:port}, or several comma-separated ({@code https://es1:9200,https://es2:9200}) so
 * the client moves on to another node when the one it talks to dies. One scheme for all: a cluster
 * is either HTTPS or not, and credentials must never go to one node in clear.
 *
 * @param uris each node, without a trailing slash
 */
record EsHosts(List<URI> uris) {

  EsHosts {
    uris = List.copyOf(uris);
  }

  static EsHosts parse(String urls) {
    Objects.requireNonNull(urls, "url");
    List<URI> out = new ArrayList<>();
    String scheme = null;
    for (String part : urls.split(",", -1)) {
      String url = part.strip();
      URI uri;
      try {
        uri = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("url is not a URI: " + url, e);
      }
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())
          || uri.getHost() == null) {
        throw new IllegalArgumentException("url must be http(s)://host:port: " + url);
      }
      if (scheme != null && !scheme.equals(uri.getScheme())) {
        throw new IllegalArgumentException(
            "every url of one cluster must use the same scheme (http or https): " + urls);
      }
      scheme = uri.getScheme();
      out.add(uri);
    }
    return new EsHosts(out);
  }

  /** The nodes as given, comma-separated, for messages. */
  @Override
  public String toString() {
    return String.join(",", uris.stream().map(URI::toString).toList());
  }
}
