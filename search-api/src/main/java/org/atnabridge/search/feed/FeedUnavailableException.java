package org.atnabridge.search.feed;

/** The feed's backend (Kafka) did not confirm the write; the client should retry. */
public final class FeedUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public FeedUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
