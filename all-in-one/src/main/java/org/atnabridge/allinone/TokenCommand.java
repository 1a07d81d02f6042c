package org.atnabridge.allinone;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.atnabridge.search.security.LocalIssuer;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code atna-bridge token [--data-dir DIR] --scope S [--patient ID] [--ttl 1h] [--label-clearance
 * V,R] [--sub NAME]}: an access token for the local FHIR API, signed with the key {@code serve}
 * created in {@code <data-dir>/keys/}. The last line of the output is the token, so {@code
 * TOKEN=$(atna-bridge token --scope ... | tail -1)} works.
 *
 * <p>Exit codes: 0 printed, 2 usage error (bad duration, no key in the data dir, ...).
 */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    description = {
      "Print an access token for the local FHIR API, signed with the data dir's key.",
      "The last line of the output is the token."
    })
final class TokenCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--data-dir",
      defaultValue = "${env:ATNA_DATA_DIR:-./data}",
      description =
          "Data dir of the serve that should accept the token (env ATNA_DATA_DIR; default ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(
      names = "--scope",
      required = true,
      description =
          "SMART scopes, space-separated, e.g. \"system/AuditEvent.rs\" or \"patient/AuditEvent.rs\".")
  String scope;

  @Option(
      names = "--patient",
      description = "Patient of patient/ scopes: an id (Patient/ID or ID) or system|value.")
  @Nullable String patient;

  @Option(
      names = "--ttl",
      defaultValue = "1h",
      converter = DurationConverter.class,
      description = "Lifetime, e.g. 30s, 15m, 1h or PT1H (default ${DEFAULT-VALUE}).")
  Duration ttl;

  @Option(
      names = "--label-clearance",
      description =
          "Confidentiality codes the caller is cleared for, e.g. V,R (default: none = up to N).")
  @Nullable String labelClearance;

  @Option(
      names = "--sub",
      defaultValue = "${sys:user.name}",
      description =
          "Subject named in the self-audit records (default: the OS user, ${DEFAULT-VALUE}).")
  String subject;

  @Override
  public Integer call() {
    Duration lifetime = ttl;
    Grant grant = Grant.of(scope, subject, labelClearance);
    String token =
        LocalIssuer.open(dataDir.resolve("keys"))
            .mint(grant.subject(), grant.scope(), patient, grant.clearance(), lifetime);
    PrintWriter out = spec.commandLine().getOut();
    out.println(
        "# token for sub="
            + grant.subject()
            + " scope=\""
            + grant.scope()
            + "\" valid "
            + lifetime
            + "; use: curl -H \"Authorization: Bearer $TOKEN\" ...");
    out.println(token);
    out.flush();
    return 0;
  }
}
