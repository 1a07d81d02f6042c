/**
 * The platform's one vocabulary: extension URLs ({@link org.atnabridge.schemas.vocab.Extensions}),
 * code systems and the codes of its own ({@link org.atnabridge.schemas.vocab.CodeSystems}, {@link
 * org.atnabridge.schemas.vocab.NetworkAccessPointType}) and profile canonicals ({@link
 * org.atnabridge.schemas.vocab.Profiles}). Topic and header names are in {@link
 * org.atnabridge.schemas.Topics}, {@link org.atnabridge.schemas.RawHeaders}, {@link
 * org.atnabridge.schemas.EventHeaders} and {@link org.atnabridge.schemas.DeadLetterHeaders}.
 *
 * <p>Every module imports these; no main source elsewhere spells one of their values (a schemas
 * test scans for that).
 */
@NullMarked
package org.atnabridge.schemas.vocab;

import org.jspecify.annotations.NullMarked;
