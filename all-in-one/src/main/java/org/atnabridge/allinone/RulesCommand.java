package org.atnabridge.allinone;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code atna-bridge rules}: the alert rules file offline. {@code check FILE} validates it and
 * lists what it compiles to.
 */
@Command(
    name = "rules",
    mixinStandardHelpOptions = true,
    description = "Work with an alert rules file (the file of --alert-rules).",
    subcommands = {
      RulesCheckCommand.class,
      RulesTestCommand.class,
    })
final class RulesCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
  }
}
