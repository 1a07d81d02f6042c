package org.atnabridge.allinone;

import org.jspecify.annotations.Nullable;

/**
 * What a started service still waits for before it may say {@code atna-bridge ready}: today the
 * Elasticsearch store, whose index template, alias and write index must be in place (a service that
 * says ready and then fails every search misleads an operator and a load balancer alike).
 */
interface StartupGate {

  /** Null when nothing is missing, else what is, for the log. Must not throw. */
  @Nullable String notReadyYet();
}
