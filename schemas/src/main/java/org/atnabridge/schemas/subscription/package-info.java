/**
 * The contracts of FHIR R5 topic-based Subscriptions between the API (which stores Subscription
 * resources and delivers notifications) and the matcher in audit-streams (which numbers them): the
 * built-in topics' canonical URLs, the subscriber's access recorded in a stored Subscription, and
 * the record of one numbered notification.
 */
@NullMarked
package org.atnabridge.schemas.subscription;

import org.jspecify.annotations.NullMarked;
