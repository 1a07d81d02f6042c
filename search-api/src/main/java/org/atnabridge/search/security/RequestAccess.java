package org.atnabridge.search.security;

import org.atnabridge.search.selfaudit.RecordLabels;
import org.jspecify.annotations.Nullable;

/**
 * The access decision for the request being served on this thread: bound by {@link
 * AuthenticationFilter} for the whole request (and cleared in its {@code finally}), completed by
 * {@link ScopeInterceptor} once HAPI knows the interaction, read by {@link
 * SecuredAuditEventSearch}. Nothing is visible before the scope check has decided.
 */
public final class RequestAccess {

  private static final ThreadLocal<RequestAccess> CURRENT = new ThreadLocal<>();

  private final Caller caller;
  private final RecordLabels recordLabels = new RecordLabels();
  private volatile SmartScopes.@Nullable Level level;
  private volatile @Nullable String denial;

  RequestAccess(Caller caller) {
    this.caller = caller;
  }

  public static @Nullable RequestAccess current() {
    return CURRENT.get();
  }

  static void bind(RequestAccess access) {
    CURRENT.set(access);
  }

  static void clear() {
    CURRENT.remove();
  }

  /** What this request's self-audit or alert record inherits (patients named, labels returned). */
  public RecordLabels recordLabels() {
    return recordLabels;
  }

  public Caller caller() {
    return caller;
  }

  /** How far the scope that allowed this interaction reaches; null until decided. */
  public SmartScopes.@Nullable Level level() {
    return level;
  }

  void decide(SmartScopes.Level level) {
    this.level = level;
  }

  /** Set when access was refused by policy in a way the status alone does not show (a 404 read). */
  @Nullable String denial() {
    return denial;
  }

  void deny(String reason) {
    if (denial == null) {
      denial = reason;
    }
  }
}
