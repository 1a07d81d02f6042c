package org.atnabridge.allinone;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.atnabridge.streams.alert.rules.RulesFile;
import org.atnabridge.streams.alert.rules.RulesFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code atna-bridge rules check FILE}: loads the file as {@code --alert-rules} would and prints
 * each compiled rule. Exit 0 when valid; 2 with {@code FILE:LINE: reason} on stderr (the form
 * compilers use, so editors jump to it) when not. Warnings (an http webhook, a secret that cannot
 * sign) go to stderr and do not fail the check.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Validate an alert rules file and print each compiled rule.",
      "Exit 0 when valid, 2 when not (FILE:LINE: reason on stderr)."
    })
final class RulesCheckCommand implements Callable<Integer> {

  @Parameters(paramLabel = "FILE", description = "The alert rules file (YAML).")
  Path file;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    RulesFile.Checked checked;
    try {
      checked = RulesFile.check(file);
    } catch (RulesFileException e) {
      err.println(e.getMessage());
      err.flush();
      return 2;
    }
    checked.warnings().forEach(w -> err.println("warning: " + w));
    err.flush();
    RuleListing.print(file.toString(), checked.rules(), out);
    out.flush();
    return 0;
  }
}
