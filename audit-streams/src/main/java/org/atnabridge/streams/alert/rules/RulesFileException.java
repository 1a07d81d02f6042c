package org.atnabridge.streams.alert.rules;

/**
 * A rules file that cannot be used, with where and why: the message is {@code FILE:LINE: reason}
 * (line 1-based), the form compilers use, so an editor can jump to it. A bad setting, hence an
 * {@link IllegalArgumentException}: the command line exits with 2. The reason never quotes a secret
 * or a password.
 */
public final class RulesFileException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final String file;
  private final int line;
  private final String reason;

  public RulesFileException(String file, int line, String reason) {
    super(file + ":" + line + ": " + reason);
    this.file = file;
    this.line = line;
    this.reason = reason;
  }

  /** The file as named to the loader (a path, or {@code classpath:} for a shipped pack). */
  public String file() {
    return file;
  }

  /** The 1-based line of the offending key or value. */
  public int line() {
    return line;
  }

  public String reason() {
    return reason;
  }
}
