package org.atnabridge.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Files of a node's work dir: copying the config, handing the tree to the uid ES runs as, deleting
 * it, free ports, and the last lines of its output.
 */
final class NodeFiles {

  private NodeFiles() {}

  static void requireTraversable(Path dir) {
    for (Path p = dir.toAbsolutePath(); p != null; p = p.getParent()) {
      try {
        if (!Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
          throw new IllegalStateException(
              p
                  + " is not searchable by others, so Elasticsearch running as uid "
                  + Integer.getInteger("es.run.uid", ElasticsearchProcess.DEFAULT_UID)
                  + " cannot reach "
                  + dir
                  + "; unpack the distribution elsewhere (-Des.home / -Des.dist.unpack.dir / -Des.work.dir)");
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  static void chownTree(Path dir, int uid) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.toList()) {
        Files.setAttribute(p, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(p, "unix:gid", uid, LinkOption.NOFOLLOW_LINKS);
      }
    }
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path p : paths.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  static String tail(Path work, int lines) {
    StringBuilder out = new StringBuilder();
    for (Path log : List.of(work.resolve("console.log"), work.resolve("logs/elasticsearch.log"))) {
      @Nullable List<String> all = readLines(log);
      if (all != null && !all.isEmpty()) {
        out.append("--- ").append(log).append('\n');
        all.subList(Math.max(0, all.size() - lines), all.size())
            .forEach(l -> out.append(l).append('\n'));
        break; // the console carries the server log too; the file only matters when the console is
        // empty
      }
    }
    return out.isEmpty() ? "(no output)" : out.toString();
  }

  static @Nullable List<String> readLines(Path file) {
    try {
      return new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines().toList();
    } catch (IOException e) {
      return null;
    }
  }
}
