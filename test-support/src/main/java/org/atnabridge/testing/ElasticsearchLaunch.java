package org.atnabridge.testing;

import com.sun.security.auth.module.UnixSystem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How a node of the integ-test distribution is launched, shared by the single node ({@link
 * ElasticsearchProcess}) and the cluster ({@link ElasticsearchCluster}): its work dir under {@code
 * -Des.work.dir}, the unprivileged uid it runs as when the build runs as root, the watchdog shell
 * that stops it once the test JVM is gone, and an environment with nothing of the test JVM's.
 */
final class ElasticsearchLaunch {

  /**
   * Runs ES in the background and stops it (SIGTERM, then waits) once the test JVM is gone, even
   * after a SIGKILL that skips every shutdown hook; exits with ES's code when ES dies first, so a
   * crash shows as a dead process. {@code /proc/PID}, not {@code kill -0}: as uid 1990 signalling a
   * root JVM fails even while it lives.
   */
  private static final String WATCHDOG =
      """
      owner=$1; shift
      "$@" &
      es=$!
      trap 'kill -TERM $es 2>/dev/null; wait $es; exit $?' TERM INT
      while [ -d /proc/$owner ] && kill -0 $es 2>/dev/null; do sleep 1; done
      kill -TERM $es 2>/dev/null
      wait $es
      """;

  final Path home = ElasticsearchDistribution.locate();
  final Path javaHome = JavaHomes.configured().orElseGet(() -> JavaHomes.find(21));
  final Path base = Path.of(System.getProperty("es.work.dir", "target/es-run")).toAbsolutePath();
  final boolean root = new UnixSystem().getUid() == 0;
  final int uid = Integer.getInteger("es.run.uid", ElasticsearchProcess.DEFAULT_UID);

  /**
   * Stops nodes an earlier, killed test JVM left behind, and checks the uid can reach the files.
   */
  ElasticsearchLaunch() {
    ProcessTrees.reapOrphans(base);
    if (root) {
      NodeFiles.requireTraversable(home);
      Path parent = base.getParent();
      if (parent != null) {
        NodeFiles.requireTraversable(parent);
      }
    }
  }

  /**
   * A fresh {@code node-*} work dir: a copy of the distribution's config, data, logs, tmp, and the
   * owning JVM's pid (what {@link ProcessTrees#reapOrphans} goes by). Call {@link #handOver} once
   * everything is in it.
   */
  Path newWorkDir() throws IOException {
    Files.createDirectories(base);
    Path work = Files.createTempDirectory(base, "node-");
    NodeFiles.copyTree(home.resolve("config"), work.resolve("config"));
    for (String d : List.of("data", "logs", "tmp")) {
      Files.createDirectory(work.resolve(d));
    }
    Files.writeString(work.resolve("owner.pid"), ProcessTrees.pidLine(ProcessHandle.current()));
    return work;
  }

  /** Gives the work dir to the uid the node runs as (as root only). */
  void handOver(Path work) throws IOException {
    if (root) {
      NodeFiles.chownTree(work, uid);
    }
  }

  /** The prefix that runs a distribution's command as the node's uid (empty unless root). */
  List<String> asNodeUser() {
    return root
        ? List.of("setpriv", "--reuid=" + uid, "--regid=" + uid, "--clear-groups", "--")
        : List.of();
  }

  /**
   * The node's launcher: {@code bin/elasticsearch} with {@code settings} ({@code -E...}) under the
   * watchdog, as the node's uid, output appended to {@code console.log} of the work dir.
   */
  ProcessBuilder node(Path work, List<String> settings, String javaOpts) {
    List<String> command = new ArrayList<>(asNodeUser());
    command.addAll(
        List.of(
            "/bin/sh",
            "-c",
            WATCHDOG,
            "es-watchdog",
            String.valueOf(ProcessHandle.current().pid())));
    command.add(home.resolve("bin/elasticsearch").toString());
    command.addAll(settings);
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(work.toFile()) // the JVM's gc.log and hs_err files are relative to it
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("console.log").toFile()));
    environment(pb.environment(), work);
    pb.environment().put("ES_JAVA_OPTS", javaOpts);
    return pb;
  }

  /** What every process of the distribution runs with: nothing from the test JVM's environment. */
  void environment(Map<String, String> env, Path work) {
    env.clear(); // nothing from the test JVM (JAVA_TOOL_OPTIONS, surefire variables) leaks into ES
    env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
    env.put("HOME", work.toString());
    env.put("LANG", "C.UTF-8");
    env.put("ES_JAVA_HOME", javaHome.toString());
    env.put("ES_PATH_CONF", work.resolve("config").toString());
    env.put("ES_TMPDIR", work.resolve("tmp").toString());
  }

  /** Settings of every test node: loopback, ML off, no read-only index on a nearly full disk. */
  static List<String> commonSettings(Path work, int httpPort, int transportPort) {
    return List.of(
        "-Enetwork.host=127.0.0.1",
        "-Ehttp.port=" + httpPort,
        "-Etransport.port=" + transportPort,
        "-Expack.ml.enabled=false",
        // a nearly full build disk must not turn the test index read-only
        "-Ecluster.routing.allocation.disk.threshold_enabled=false",
        "-Epath.data=" + work.resolve("data"),
        "-Epath.logs=" + work.resolve("logs"));
  }
}
