package org.atnabridge.search.console;

import java.util.List;
import java.util.Optional;

/** The officers' saved searches; every method works on one user's searches only. */
public interface SavedSearches {

  /** Most searches one user may keep: the list is a page, not a database. */
  int MAX_PER_USER = 200;

  /** {@code user}'s saved searches, oldest first. */
  List<SavedSearch> of(String user);

  /**
   * Saves a search for {@code user}.
   *
   * @return the saved search, or empty when {@code user} already keeps {@link #MAX_PER_USER}
   * @throws SavedSearchesUnavailableException when the store did not take the write
   */
  Optional<SavedSearch> save(String user, String name, String query);

  /**
   * Deletes {@code user}'s search {@code id}; false when {@code user} has no such search.
   *
   * @throws SavedSearchesUnavailableException when the store did not take the deletion
   */
  boolean delete(String user, String id);
}
