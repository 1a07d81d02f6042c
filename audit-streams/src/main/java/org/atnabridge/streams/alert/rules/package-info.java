/**
 * The alert rules file as a model: {@link org.atnabridge.streams.alert.rules.AlertRules} (the
 * channels, the rules and the grace period), each {@link
 * org.atnabridge.streams.alert.rules.AlertRule} with its compiled condition and its kind's
 * parameters ({@link org.atnabridge.streams.alert.rules.KindSpec}). Loading, validation and reload
 * live here too; evaluation is {@code org.atnabridge.streams.alert}.
 */
@NullMarked
package org.atnabridge.streams.alert.rules;

import org.jspecify.annotations.NullMarked;
