package org.atnabridge.store;

/**
 * Result order. Ties are always broken by id ascending, so the order is total and a cursor position
 * is unambiguous.
 */
public enum SortOrder {
  /** Newest {@code recorded} first: the default. */
  DATE_DESC(SearchField.DATE, true),
  DATE_ASC(SearchField.DATE, false),
  LAST_UPDATED_DESC(SearchField.LAST_UPDATED, true),
  LAST_UPDATED_ASC(SearchField.LAST_UPDATED, false);

  private final SearchField field;
  private final boolean descending;

  SortOrder(SearchField field, boolean descending) {
    this.field = field;
    this.descending = descending;
  }

  public SearchField field() {
    return field;
  }

  public boolean descending() {
    return descending;
  }
}
