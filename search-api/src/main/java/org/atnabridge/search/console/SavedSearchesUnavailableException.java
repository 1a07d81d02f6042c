package org.atnabridge.search.console;

/**
 * A saved search could not be written because the store behind {@link SavedSearches} (the compacted
 * topic) did not acknowledge it: the write is not done, and trying again later may succeed. The
 * endpoint answers 503, as the FHIR API does when the audit store is unavailable.
 */
public final class SavedSearchesUnavailableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public SavedSearchesUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
