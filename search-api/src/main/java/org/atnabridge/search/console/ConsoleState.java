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
import java.util.regex.Pattern;

/**
 * What the console must remember across requests, kept in the data dir so that any number of API
 * processes sharing it agree and a restart forgets nothing: the sign-in links already used ({@code
 * used-links/<jti>}) and the sessions signed out before they expired ({@code revoked/<jti>}). Each
 * file holds the expiry (epoch seconds) of its token; once the token has expired the file is
 * useless (the signature check refuses the token anyway) and is swept.
 *
 * <p>Everything else a session needs travels in its signed cookie, so no session table exists.
 */
public final class ConsoleState {

  /** Token ids the local issuer writes (UUIDs); anything else is never used as a file name. */
  private static final Pattern TOKEN_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

  private static final Duration SWEEP_EVERY = Duration.ofMinutes(10);

  /** Longer than any clock skew the token checks tolerate. */
  private static final Duration MARGIN = Duration.ofMinutes(10);

  private final Path usedLinks;
  private final Path revoked;
  private final Clock clock;
  private volatile Instant lastSweep = Instant.EPOCH;

  public ConsoleState(Path dir, Clock clock) {
    this.usedLinks = dir.resolve("used-links");
    this.revoked = dir.resolve("revoked");
    this.clock = clock;
    try {
      Files.createDirectories(usedLinks);
      Files.createDirectories(revoked);
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
    sweep(usedLinks, now);
    sweep(revoked, now);
  }

  private static void sweep(Path dir, Instant now) {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path f : files) {
        try {
          long expires = Long.parseLong(Files.readString(f, StandardCharsets.US_ASCII).trim());
          if (expires + MARGIN.toSeconds() < now.getEpochSecond()) {
            Files.deleteIfExists(f);
          }
        } catch (NoSuchFileException | NumberFormatException ignored) {
          // another process swept it, or it is being written: next sweep
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot sweep " + dir, e);
    }
  }
}
