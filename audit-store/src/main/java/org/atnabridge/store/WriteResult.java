package org.atnabridge.store;

import java.util.List;

/**
 * What a store did with a batch: every event not listed in {@link #rejected()} is stored. A
 * rejection is permanent (the event can never be indexed as it is, e.g. a mapping conflict);
 * transient failures are retried inside the store or thrown as {@link StoreException}.
 */
public record WriteResult(int accepted, List<Rejection> rejected) {

  public static final WriteResult EMPTY = new WriteResult(0, List.of());

  /**
   * Rejection reason of {@link AuditEventWriter#indexJson} for a value that is no indexable
   * AuditEvent.
   */
  public static final String NOT_AUDIT_EVENT = "not_audit_event";

  public WriteResult {
    rejected = List.copyOf(rejected);
  }

  /**
   * @param index position of the event in the batch handed to {@link AuditEventWriter#index}
   * @param id its resource id
   * @param reason a stable reason code, e.g. {@code mapper_parsing_exception}
   * @param detail what the engine said, without the event content
   */
  public record Rejection(int index, String id, String reason, String detail) {}
}
