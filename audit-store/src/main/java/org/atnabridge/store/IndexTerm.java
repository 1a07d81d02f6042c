package org.atnabridge.store;

/**
 * One value of one physical index field, as {@link AuditEventMatcher#anchorTerms()} names it and
 * {@link EventValues#terms(String)} reads it: the key by which many matchers are looked up from an
 * event instead of each being tried in turn. The field name is the index's own, opaque to callers.
 */
public record IndexTerm(String field, String value) {}
