/**
 * The embedded default engine: one Lucene index in a local directory, owned by one process
 * (Lucene's write lock). Durable on return from each write (commit), visible at once (NRT
 * refresh), and it needs no server, which is why it is the default.
 */
@NullMarked
package org.atnabridge.store.lucene;

import org.jspecify.annotations.NullMarked;
