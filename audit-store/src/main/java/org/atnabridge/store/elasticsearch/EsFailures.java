package org.atnabridge.store.elasticsearch;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.transport.TransportException;
import java.io.IOException;
import org.atnabridge.store.StoreException;
import org.atnabridge.store.StoreUnavailableException;

/**
 * Tells a failure of the cluster's availability (worth a retry, 503 to an API client) from a
 * failure of the request (a bug or a refused document). Unavailable: no connection or an I/O error
 * on it, or an answer of 429 (too many requests), 502, 503 (no master, no shard available, a
 * cluster block) or 504.
 */
final class EsFailures {

  private EsFailures() {}

  static boolean unavailable(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof StoreUnavailableException) {
        return true;
      }
      if (t instanceof TransportException e) {
        // an HTTP answer the client could not read carries its status; no status = no answer
        return e.statusCode() <= 0 || transientStatus(e.statusCode());
      }
      if (t instanceof IOException) {
        return true;
      }
      if (t instanceof ElasticsearchException e) {
        return transientStatus(e.status());
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  /** {@code message} as a {@link StoreUnavailableException} when the cluster is unavailable. */
  static StoreException wrap(String message, Throwable failure) {
    return unavailable(failure)
        ? new StoreUnavailableException(message, failure)
        : new StoreException(message, failure);
  }

  private static boolean transientStatus(int status) {
    return status == 429 || status == 502 || status == 503 || status == 504;
  }
}
