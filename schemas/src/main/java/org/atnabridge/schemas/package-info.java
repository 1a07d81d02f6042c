/**
 * Wire contracts between the modules of ATNA Bridge: topic names and their serdes ({@link
 * org.atnabridge.schemas.Topics}), the headers carried by raw and dead-lettered records ({@link
 * org.atnabridge.schemas.RawHeaders}, {@link org.atnabridge.schemas.DeadLetterHeaders}), the
 * extension URLs and code systems ({@link org.atnabridge.schemas.vocab}) and the one FHIR R5
 * context per JVM ({@link org.atnabridge.schemas.Fhir}).
 *
 * <p>Nothing here does I/O; every other module may depend on this one.
 */
@NullMarked
package org.atnabridge.schemas;

import org.jspecify.annotations.NullMarked;
