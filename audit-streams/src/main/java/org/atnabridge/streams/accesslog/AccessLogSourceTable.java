package org.atnabridge.streams.accesslog;

import org.atnabridge.accesslog.AccessLogSource;
import org.atnabridge.accesslog.AccessLogSources;
import org.jspecify.annotations.Nullable;

/**
 * Which source a record on {@code accesslog.raw} is read with: the one its {@code accesslog.source}
 * header names in the sources file; without the header, or for a name the file does not declare,
 * the default: the file's source named {@value AccessLogSource#DEFAULT_NAME} if it declares one,
 * else {@link AccessLogSource#defaults()} ({@code combined}, every path). A header never becomes a
 * meter tag: the source's own name does, so the tags stay the file's names.
 */
public final class AccessLogSourceTable {

  private final @Nullable AccessLogSources sources;
  private final AccessLogSource fallback;

  /**
   * @param sources the sources file as loaded, or null without one
   */
  public AccessLogSourceTable(@Nullable AccessLogSources sources) {
    this.sources = sources;
    AccessLogSource declared = sources == null ? null : sources.get(AccessLogSource.DEFAULT_NAME);
    this.fallback = declared == null ? AccessLogSource.defaults() : declared;
  }

  /** The source to read a line with, by the value of its {@code accesslog.source} header. */
  public AccessLogSource source(@Nullable String header) {
    if (header == null || sources == null) {
      return fallback;
    }
    AccessLogSource named = sources.get(header);
    return named == null ? fallback : named;
  }
}
