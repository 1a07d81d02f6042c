package org.atnabridge.streams.subscription;

/**
 * One event that matched one subscription, on its way (keyed by subscription id) to the task that
 * numbers that subscription's notifications.
 *
 * @param topic the canonical URL of the subscription's topic
 * @param event the AuditEvent's JSON as it came from {@code audit.enriched}
 */
record Match(String topic, byte[] event) {}
