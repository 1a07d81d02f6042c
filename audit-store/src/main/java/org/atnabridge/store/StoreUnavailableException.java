package org.atnabridge.store;

import org.jspecify.annotations.Nullable;

/**
 * The store cannot be reached right now (connection refused or reset, a timeout, the engine
 * answering 429/502/503/504): the same request may succeed later. The FHIR API answers it with 503
 * and {@code Retry-After}, the indexer pauses and retries; neither treats it as a defect.
 */
public final class StoreUnavailableException extends StoreException {
  private static final long serialVersionUID = 1L;

  public StoreUnavailableException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
