/**
 * Delivery of the alerts on {@code audit.alerts} to the channels of the rules file, at least once:
 * {@link org.atnabridge.streams.alert.notify.AlertDelivery} reads the topic as an outbox in its own
 * consumer group and commits a record only after each of its channels took it or it was
 * dead-lettered to {@code audit.alerts.dlq}. Webhooks are signed as Standard Webhooks specifies;
 * e-mail goes over SMTP with STARTTLS (RFC 3207).
 */
@NullMarked
package org.atnabridge.streams.alert.notify;

import org.jspecify.annotations.NullMarked;
