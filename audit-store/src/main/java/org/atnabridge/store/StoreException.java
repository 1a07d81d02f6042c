package org.atnabridge.store;

import org.jspecify.annotations.Nullable;

/**
 * A store operation failed; the message is safe to log, never shown to API clients. {@link
 * StoreUnavailableException} is the transient kind: the engine cannot be reached right now.
 */
public class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * @param cause may be null, as {@link Throwable#getCause()} may be
   */
  public StoreException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }

  public StoreException(String message) {
    super(message);
  }
}
