package org.atnabridge.schemas;

/**
 * Headers added to a record sent to {@link Topics#AUDIT_DLQ}. The record keeps its original key,
 * value bytes and headers; these say where it came from and why it was rejected.
 */
public final class DeadLetterHeaders {

  /** A stable, typed reason code (e.g. {@code NOT_XML}, {@code XML_UNSAFE}); drives alerting. */
  public static final String REASON = "dlq.reason";

  /** A human-readable explanation, without stack traces. */
  public static final String DETAIL = "dlq.detail";

  /** The processing stage that rejected it (e.g. {@code audit-convert}). */
  public static final String STAGE = "dlq.stage";

  /**
   * {@code audit.alerts.dlq} only: the id of the notification channel that did not take the alert.
   */
  public static final String CHANNEL = "dlq.channel";

  /** Source topic, partition and offset of the rejected record. */
  public static final String SOURCE_TOPIC = "dlq.source.topic";

  public static final String SOURCE_PARTITION = "dlq.source.partition";
  public static final String SOURCE_OFFSET = "dlq.source.offset";

  /**
   * Ingest only: the size in octets the rejected frame had (or announced, for RFC 6587 octet
   * counting) when only a prefix of it is kept as the value, e.g. reason {@link #FRAME_TOO_LARGE};
   * {@code unknown} when the frame's end was never seen.
   */
  public static final String ORIGINAL_SIZE = "dlq.original-size";

  /**
   * Reason code of ingest: a frame over the listener's maximum frame size; the value is its prefix.
   */
  public static final String FRAME_TOO_LARGE = "FRAME_TOO_LARGE";

  /**
   * Reason code of ingest: the sender closed (or was closed for idling) inside an RFC 6587
   * octet-counted frame; the value is the octets that did arrive.
   */
  public static final String FRAME_INCOMPLETE = "FRAME_INCOMPLETE";

  /** When it was dead-lettered, ISO-8601 instant. */
  public static final String FAILED_AT = "dlq.failed-at";

  private DeadLetterHeaders() {}
}
