package org.atnabridge.ingest;

/**
 * A network intake that hands what it receives to a {@link RawMessageSink}: the syslog listeners of
 * this module, and later intakes (HTTP log intake) alike. The constructor does no I/O; {@link
 * #start()} binds and fails naming the address if it cannot; {@link #close()} stops accepting,
 * finishes what was already read and waits until the sink confirmed it.
 */
public interface IntakeListener extends AutoCloseable {

  /** Binds; throws {@link IllegalStateException} naming the address when that fails. */
  IntakeListener start();

  /** The bound port; differs from the configured one when that was 0. */
  int port();

  /** E.g. {@code syslog-udp:514}; the value of the {@code atna.listener} header. */
  String id();

  /** True while started, not closed, and the socket is open. */
  boolean check();

  /** Drains and stops; idempotent. Does not close the sink. */
  @Override
  void close();
}
