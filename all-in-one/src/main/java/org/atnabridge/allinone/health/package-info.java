/**
 * Liveness, readiness and meters of a process: the checks ({@code kafka}, {@code syslog}, {@code
 * streams}, {@code index}, {@code lag}, {@code store}), their aggregation with a log line per
 * change, and the unauthenticated {@code /health/live}, {@code /health/ready} and {@code /metrics}
 * answers, which name checks and never say why (the log does).
 */
@NullMarked
package org.atnabridge.allinone.health;

import org.jspecify.annotations.NullMarked;
