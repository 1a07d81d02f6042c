/**
 * The embedded default engine: one Lucene index in a local directory, owned by one process
 * (Lucene's write lock). Near-real-time searcher reopened at least every second, commits on a
 * schedule, on {@code flush()} and on shutdown; needs no server, which is why it is the default.
 */
@NullMarked
package org.atnabridge.store.lucene;

import org.jspecify.annotations.NullMarked;
