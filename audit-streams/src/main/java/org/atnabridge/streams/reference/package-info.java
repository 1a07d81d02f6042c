/**
 * Reference data: the keys and values of the compacted reference topics ({@link
 * org.atnabridge.schemas.Topics#REFERENCE_PEOPLE}, {@code REFERENCE_PATIENTS}, {@code
 * REFERENCE_NODES}), how a FHIR Bundle or a CSV file becomes records of them ({@link
 * org.atnabridge.streams.reference.ReferenceFile}) and the loader that sends them ({@link
 * org.atnabridge.streams.reference.ReferenceLoader}).
 */
@NullMarked
package org.atnabridge.streams.reference;

import org.jspecify.annotations.NullMarked;
