package org.atnabridge.allinone;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/atna-bridge} as a user runs it: it says in one line which JDK it picked, then runs the
 * packaged jar. The launcher runs from a copy of {@code bin/} beside links to the packaged jar and
 * its libraries, so it finds no sources to rebuild from and only runs what this build made.
 */
class LauncherIT {

  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  @TempDir Path checkout;

  @Test
  void launcher_saysWhichJdkItPicked_inOneLine_andRunsTheJar() throws Exception {
    Files.createDirectories(checkout.resolve("bin"));
    for (String script : new String[] {"atna-bridge", "jdk.sh"}) {
      Files.copy(
          ROOT.resolve("bin").resolve(script),
          checkout.resolve("bin").resolve(script),
          StandardCopyOption.COPY_ATTRIBUTES);
    }
    Path target = Files.createDirectories(checkout.resolve("all-in-one/target"));
    Files.createSymbolicLink(target.resolve("atna-bridge.jar"), ServeProcess.JAR);
    Files.createSymbolicLink(target.resolve("lib"), ServeProcess.JAR.resolveSibling("lib"));
    String javaHome = Path.of(System.getProperty("java.home")).toRealPath().toString();

    ProcessBuilder launcher =
        new ProcessBuilder(checkout.resolve("bin/atna-bridge").toString(), "--version");
    launcher.environment().put("JAVA_HOME", javaHome);
    PortInUseIT.Result r = PortInUseIT.run(launcher);

    assertThat(r.exit()).as(r.all()).isZero();
    assertThat(r.stderr().strip().split("\n"))
        .as(r.all())
        .containsExactly(
            "atna-bridge: java: " + javaHome + " (" + System.getProperty("java.version") + ")");
    String version;
    try (JarFile jar = new JarFile(ServeProcess.JAR.toFile())) {
      version = jar.getManifest().getMainAttributes().getValue("Implementation-Version");
    }
    assertThat(version).isNotBlank();
    assertThat(r.stdout().strip()).isEqualTo("atna-bridge " + version);
  }
}
