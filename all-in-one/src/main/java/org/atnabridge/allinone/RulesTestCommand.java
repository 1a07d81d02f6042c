package org.atnabridge.allinone;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.atnabridge.schemas.alert.Alert;
import org.atnabridge.schemas.alert.AlertJson;
import org.atnabridge.streams.alert.RulesTester;
import org.atnabridge.streams.alert.rules.AlertRules;
import org.atnabridge.streams.alert.rules.RulesFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code atna-bridge rules test FILE INPUT...}: the alerts the rules of FILE would fire over the
 * INPUTs ({@link RulesTestInputs}: ATNA XML, syslog frames, AuditEvent JSON or NDJSON), found by
 * running the streaming engine's own topology offline ({@link RulesTester}). Each alert is printed
 * as one line of its {@code audit.alerts} JSON; a count goes to stderr. Exit codes: 0 all inputs
 * read, 1 an input (or a record of one) could not be read, 2 usage error or invalid rules file.
 */
@Command(
    name = "test",
    mixinStandardHelpOptions = true,
    description = {
      "Evaluate the rules offline over ATNA XML files, syslog frames, or AuditEvent JSON/NDJSON",
      "and print the alerts that would fire (one audit.alerts JSON per line), as the streaming",
      "engine would. Exit 0 when every input was read, 1 when one failed, 2 on usage errors."
    })
final class RulesTestCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "FILE", description = "The alert rules file (YAML).")
  Path rulesFile = Path.of("");

  @Parameters(
      index = "1..*",
      arity = "1..*",
      paramLabel = "INPUT",
      description = "Input files; '-' reads standard input.")
  List<String> inputs = List.of();

  /**
   * Loads and validates the rules file (the rules file loader, which reports the file, line and
   * reason of a bad file as an IllegalArgumentException: exit 2).
   */
  private final Function<Path, AlertRules> loader;

  /** {@code atna-bridge rules test}: the rules file as {@code --alert-rules} loads it. */
  RulesTestCommand() {
    this(RulesFile::load);
  }

  RulesTestCommand(Function<Path, AlertRules> loader) {
    this.loader = loader;
  }

  @Override
  public Integer call() {
    if (inputs.stream().filter(ConvertInputs.STDIN::equals).count() > 1) {
      throw new IllegalArgumentException("'-' (stdin) may be given only once");
    }
    AlertRules rules = loader.apply(rulesFile);
    return run(
        rules,
        inputs,
        new PrintStream(System.out, true, StandardCharsets.UTF_8),
        new PrintStream(System.err, true, StandardCharsets.UTF_8));
  }

  /** Prints the alerts of {@code rules} over {@code inputs}; returns the exit code. */
  static int run(AlertRules rules, List<String> inputs, PrintStream out, PrintStream err) {
    RulesTestInputs.Read read = new RulesTestInputs().read(inputs, err);
    List<Alert> alerts = RulesTester.run(rules, read.events(), List.of());
    for (Alert a : alerts) {
      out.println(new String(AlertJson.write(a), StandardCharsets.UTF_8));
    }
    out.flush();
    err.println(
        alerts.size()
            + " alert(s) from "
            + read.events().size()
            + " event(s) and "
            + rules.enabled().size()
            + " enabled rule(s)");
    return read.failed() == 0 ? 0 : 1;
  }
}
