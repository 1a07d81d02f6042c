/**
 * Not API: what both engines share so they index and match identically: the extracted index
 * fields of an AuditEvent ({@link org.atnabridge.store.internal.AuditEventDocument}), the
 * translation of an {@link org.atnabridge.store.AuditQuery} into term clauses ({@link
 * org.atnabridge.store.internal.TermClauses}) and the page cursor ({@link
 * org.atnabridge.store.internal.Cursor}).
 */
@NullMarked
package org.atnabridge.store.internal;

import org.jspecify.annotations.NullMarked;
