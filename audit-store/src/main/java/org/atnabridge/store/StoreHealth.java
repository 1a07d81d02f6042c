package org.atnabridge.store;

import org.jspecify.annotations.Nullable;

/** Result of {@link AuditStore#check()}: up, or down with a reason safe to show an operator. */
public record StoreHealth(boolean ok, @Nullable String reason) {
  public static final StoreHealth OK = new StoreHealth(true, null);

  public static StoreHealth down(String reason) {
    return new StoreHealth(false, reason);
  }
}
