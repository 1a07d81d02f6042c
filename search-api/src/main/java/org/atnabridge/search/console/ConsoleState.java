package org.atnabridge.search.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the console must remember across requests, kept in the data dir so that any number of API
 * processes sharing it agree and a restart forgets nothing: the sign-in links already used ({@code
 * used-links/<jti>}) and the sessions signed out before they expired ({@code revoked/<jti>}). Each
 * file holds the expiry (epoch seconds) of its token; once the token has expired the file is
 * useless (the signature check refuses the token anyway) and is swept. Sign-ins by OpenID Connect
 * that have started and not yet come back ({@code sign-ins/<sha-256 of the pre-session cookie>})
 * hold their state, nonce and PKCE verifier for a few minutes, and are taken once.
 *
 * <p>Everything else a session needs travels in its signed cookie, so no session table exists.
 */
public final class ConsoleState {

  /** Token ids the local issuer writes (UUIDs); anything else is never used as a file name. */
  private static final Pattern TOKEN_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

  private static final Duration SWEEP_EVERY = Duration.ofMinutes(10);

  /** Longer than any clock skew the token checks tolerate. */
  private static final Duration MARGIN = Duration.ofMinutes(10);

  /**
   * Most sign-ins by OpenID Connect one node keeps started at once: starting one is the only write
   * an unauthenticated request can cause, so it is bounded (a flood gets 503, never a full disk).
   */
  public static final int MAX_PENDING_SIGN_INS = 10_000;

  private final Path usedLinks;
  private final Path revoked;
  private final Path signIns;
  private final Clock clock;
  private final int maxPendingSignIns;
  private final AtomicInteger pendingSignIns = new AtomicInteger();
  private volatile Instant lastSweep = Instant.EPOCH;

  public ConsoleState(Path dir, Clock clock) {
    this(dir, clock, MAX_PENDING_SIGN_INS);
  }

  ConsoleState(Path dir, Clock clock, int maxPendingSignIns) {
    this.maxPendingSignIns = maxPendingSignIns;
    this.usedLinks = dir.resolve("used-links");
    this.revoked = dir.resolve("revoked");
    this.signIns = dir.resolve("sign-ins");
    this.clock = clock;
    try {
      Files.createDirectories(usedLinks);
      Files.createDirectories(revoked);
      Files.createDirectories(signIns);
      try (Stream<Path> started = Files.list(signIns)) {
        pendingSignIns.set((int) started.count());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the console state dir " + dir, e);
    }
  }

  /**
   * Marks a sign-in link used; true only for the first caller, whatever the number of processes
   * (the file is created exclusively, an atomic step of the file system).
   */
  public boolean markLinkUsed(String tokenId, Instant expires) {
    sweepNowAndThen();
    try {
      Files.writeString(
          usedLinks.resolve(checked(tokenId)),
          String.valueOf(expires.getEpochSecond()),
          StandardCharsets.US_ASCII,
          java.nio.file.StandardOpenOption.CREATE_NEW,
          java.nio.file.StandardOpenOption.WRITE);
      return true;
    } catch (FileAlreadyExistsException used) {
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record the sign-in link as used", e);
    }
  }

  /** Ends a session before its expiry: its cookie is refused from now on. */
  public void revoke(String tokenId, Instant expires) {
    sweepNowAndThen();
    Path file = revoked.resolve(checked(tokenId));
    try {
      Files.writeString(file, String.valueOf(expires.getEpochSecond()), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record the signed-out session", e);
    }
  }

  public boolean isRevoked(String tokenId) {
    return TOKEN_ID.matcher(tokenId).matches() && Files.exists(revoked.resolve(tokenId));
  }

  /**
   * Keeps what a started sign-in needs when the provider sends the browser back ({@code lines}, no
   * line breaks in them), until {@code expires}.
   *
   * @return false, and nothing kept, when {@link #MAX_PENDING_SIGN_INS} sign-ins are started and
   *     unexpired
   */
  public boolean startSignIn(String id, java.util.List<String> lines, Instant expires) {
    sweepNowAndThen();
    if (pendingSignIns.get() >= maxPendingSignIns) {
      // expired ones may be waiting for the next sweep: sweep now before refusing
      pendingSignIns.addAndGet(-sweep(signIns, clock.instant(), Duration.ZERO));
      if (pendingSignIns.get() >= maxPendingSignIns) {
        return false;
      }
    }
    StringBuilder text = new StringBuilder().append(expires.getEpochSecond());
    for (String line : lines) {
      if (line.indexOf('\n') >= 0) {
        throw new IllegalArgumentException("a line break in a sign-in value");
      }
      text.append('\n').append(line);
    }
    try {
      Files.writeString(
          signIns.resolve(checked(id)),
          text,
          StandardCharsets.US_ASCII,
          java.nio.file.StandardOpenOption.CREATE_NEW,
          java.nio.file.StandardOpenOption.WRITE);
      pendingSignIns.incrementAndGet();
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record the started sign-in", e);
    }
  }

  /**
   * Takes a started sign-in once: its lines if it was started, is unexpired and nobody took it
   * before (from any process: only one delete of the file succeeds), otherwise empty.
   */
  public java.util.Optional<java.util.List<String>> takeSignIn(String id) {
    if (!TOKEN_ID.matcher(id).matches()) {
      return java.util.Optional.empty();
    }
    Path file = signIns.resolve(id);
    try {
      String text = Files.readString(file, StandardCharsets.US_ASCII);
      Files.delete(file);
      pendingSignIns.decrementAndGet();
      java.util.List<String> lines = java.util.List.of(text.split("\n", -1));
      long expires = Long.parseLong(lines.get(0).trim());
      if (expires < clock.instant().getEpochSecond()) {
        return java.util.Optional.empty();
      }
      return java.util.Optional.of(lines.subList(1, lines.size()));
    } catch (NoSuchFileException taken) {
      return java.util.Optional.empty();
    } catch (NumberFormatException e) {
      return java.util.Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the started sign-in", e);
    }
  }

  private static String checked(String tokenId) {
    if (!TOKEN_ID.matcher(tokenId).matches()) {
      throw new IllegalArgumentException("not a token id of the local issuer");
    }
    return tokenId;
  }

  /** Deletes the records of expired tokens, at most every ten minutes. */
  private void sweepNowAndThen() {
    Instant now = clock.instant();
    if (Duration.between(lastSweep, now).compareTo(SWEEP_EVERY) < 0) {
      return;
    }
    lastSweep = now;
    sweep(usedLinks, now, MARGIN);
    sweep(revoked, now, MARGIN);
    pendingSignIns.addAndGet(-sweep(signIns, now, MARGIN));
  }

  /** Deletes the records expired for longer than {@code margin}; returns how many it deleted. */
  private static int sweep(Path dir, Instant now, Duration margin) {
    int deleted = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path f : files) {
        try {
          String text = Files.readString(f, StandardCharsets.US_ASCII);
          int end = text.indexOf('\n');
          long expires = Long.parseLong((end < 0 ? text : text.substring(0, end)).trim());
          if (expires + margin.toSeconds() < now.getEpochSecond() && Files.deleteIfExists(f)) {
            deleted++;
          }
        } catch (NoSuchFileException | NumberFormatException ignored) {
          // another process swept it, or it is being written: next sweep
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot sweep " + dir, e);
    }
    return deleted;
  }
}
