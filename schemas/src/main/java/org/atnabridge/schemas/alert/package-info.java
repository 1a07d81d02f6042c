/**
 * The alert record of {@code audit.alerts}: what an alert rule fired, for notification delivery,
 * the console and any Kafka consumer. {@link org.atnabridge.schemas.alert.Alert} is the model,
 * {@link org.atnabridge.schemas.alert.AlertJson} its versioned JSON (schema: {@code
 * alert-v1.schema.json} beside this package in the jar).
 */
@NullMarked
package org.atnabridge.schemas.alert;

import org.jspecify.annotations.NullMarked;
