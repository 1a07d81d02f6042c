/**
 * Not API: what both engines share so they index and match identically: the index fields of an
 * AuditEvent ({@link org.atnabridge.store.internal.AuditEventDocument}, extracted from the JSON by
 * {@link org.atnabridge.store.internal.AuditEventJson}, {@link
 * org.atnabridge.store.internal.IndexFields}), the translation of an {@link
 * org.atnabridge.store.AuditQuery} into an engine-neutral query ({@link
 * org.atnabridge.store.internal.QueryPlanner}), date buckets and the page cursor ({@link
 * org.atnabridge.store.internal.Cursor}). May change in any release.
 */
@NullMarked
package org.atnabridge.store.internal;

import org.jspecify.annotations.NullMarked;
