/**
 * FHIR R5 topic-based Subscriptions, the matching side: the application {@code audit-subscriptions}
 * ({@code SubscriptionTopology}) keeps every stored Subscription of {@code audit.subscriptions} in
 * a global store and, compiled, in an index ({@link
 * org.atnabridge.streams.subscription.SubscriptionIndex}); each event of {@code audit.enriched} is
 * projected once and tested only against the subscriptions its values can match; each match is sent
 * through a repartition topic keyed by subscription id, so that one task numbers each
 * subscription's notifications (a persistent counter, exactly-once), and the numbered notification
 * is written to {@code audit.notifications}. Delivery is the API's.
 */
@NullMarked
package org.atnabridge.streams.subscription;

import org.jspecify.annotations.NullMarked;
