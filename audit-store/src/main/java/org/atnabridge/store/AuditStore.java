package org.atnabridge.store;

/**
 * A storage engine for AuditEvents. Thread-safe. Construction does no I/O beyond what the engine
 * documents; {@link #close()} releases files, sockets and threads.
 */
public interface AuditStore extends AutoCloseable {

  AuditEventWriter writer();

  AuditEventSearch search();

  /** Cheap health probe; never throws. */
  StoreHealth check();

  @Override
  void close();
}
