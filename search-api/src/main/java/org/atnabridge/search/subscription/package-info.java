/**
 * FHIR R5 topic-based Subscriptions on AuditEvent, the API side: the built-in SubscriptionTopics,
 * the Subscription resource (validation, the endpoint policy against server-side request forgery,
 * storage in the compacted {@code audit.subscriptions}), rest-hook delivery of the numbered
 * notifications of {@code audit.notifications} in one consumer group across the API nodes, and the
 * {@code $status} and {@code $events} operations.
 */
@NullMarked
package org.atnabridge.search.subscription;

import org.jspecify.annotations.NullMarked;
