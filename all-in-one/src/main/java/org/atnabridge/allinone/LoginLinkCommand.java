package org.atnabridge.allinone;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.atnabridge.search.console.Console;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code atna-bridge login-link [--data-dir DIR] [--ttl 15m] [--scope S] [--label-clearance V,R]
 * [--patient ID] [--sub NAME] [--console-url URL]}: a one-time sign-in link to the web console,
 * signed with the key {@code serve} created in {@code <data-dir>/keys/}. The link signs in once,
 * within its lifetime, and the session it becomes has the link's scopes, patient and clearance. The
 * last line of the output is the link.
 *
 * <p>Exit codes: 0 printed, 2 usage error (bad duration or scope, no key in the data dir, ...).
 */
@Command(
    name = "login-link",
    mixinStandardHelpOptions = true,
    description = {
      "Print a one-time sign-in link to the web console, signed with the data dir's key.",
      "The last line of the output is the link."
    })
final class LoginLinkCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--data-dir",
      defaultValue = "${env:ATNA_DATA_DIR:-./data}",
      description =
          "Data dir of the serve whose console the link signs in to (env ATNA_DATA_DIR; default ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(
      names = "--ttl",
      defaultValue = "15m",
      converter = DurationConverter.class,
      description = "How long the link may be used, e.g. 5m, 15m, 1h (default ${DEFAULT-VALUE}).")
  Duration ttl;

  @Option(
      names = "--scope",
      defaultValue = Console.DEFAULT_SCOPE,
      description = "SMART scopes of the session, space-separated (default ${DEFAULT-VALUE}).")
  String scope;

  @Option(
      names = "--patient",
      description = "Patient of patient/ scopes: an id (Patient/ID or ID) or system|value.")
  @Nullable String patient;

  @Option(
      names = "--label-clearance",
      description =
          "Confidentiality codes the session is cleared for, e.g. V,R (default: none = up to N).")
  @Nullable String labelClearance;

  @Option(
      names = "--sub",
      defaultValue = "${sys:user.name}",
      description =
          "Who signs in, as the self-audit records name them (default: the OS user, ${DEFAULT-VALUE}).")
  String subject;

  @Option(
      names = "--console-url",
      description =
          "The console's address (default: the one serve recorded in the data dir at its last start).")
  @Nullable String consoleUrl;

  @Override
  public Integer call() {
    Grant grant = Grant.of(scope, subject, labelClearance);
    if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(Duration.ofHours(24)) > 0) {
      throw new IllegalArgumentException("--ttl must be more than 0 and at most 24h, got: " + ttl);
    }
    String url = consoleUrl;
    if (url == null || url.isBlank()) {
      url =
          Console.recordedUrl(dataDir)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "no console URL recorded in "
                              + dataDir
                              + " (serve records it at start): give --console-url"));
    }
    String link =
        Console.link(dataDir, url, grant.subject(), grant.scope(), patient, grant.clearance(), ttl);
    PrintWriter out = spec.commandLine().getOut();
    out.println(
        "# sign-in link for sub="
            + grant.subject()
            + " scope=\""
            + grant.scope()
            + "\": signs in once, within "
            + ttl);
    out.println(link);
    out.flush();
    return 0;
  }
}
