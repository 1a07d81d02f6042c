package org.atnabridge.accesslog;

/**
 * Bounds on hostile input.
 *
 * @param maxLineBytes longest line converted (nginx's own lines rarely pass 8 KiB)
 * @param maxJsonDepth deepest nesting of a JSON line (a flat object is depth 1)
 * @param maxJsonFields most fields in a JSON line
 * @param maxPatients most patients one line may name (one AuditEvent each)
 */
public record AccessLogLimits(
    int maxLineBytes, int maxJsonDepth, int maxJsonFields, int maxPatients) {

  public static final AccessLogLimits DEFAULT = new AccessLogLimits(16 * 1024, 4, 128, 100);

  public AccessLogLimits {
    if (maxLineBytes < 64 || maxJsonDepth < 1 || maxJsonFields < 1 || maxPatients < 1) {
      throw new IllegalArgumentException("access log limits must be positive (lines ≥ 64 bytes)");
    }
  }
}
