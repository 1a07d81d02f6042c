package org.atnabridge.allinone;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code atna-bridge}: the top-level command. {@code serve} is the default subcommand, so {@code
 * atna-bridge --http-port 9090} means {@code atna-bridge serve --http-port 9090}.
 *
 * <p>Exit codes: 0 success, 1 runtime failure, 2 bad usage or configuration.
 */
@Command(
    name = "atna-bridge",
    mixinStandardHelpOptions = true,
    versionProvider = AtnaBridgeCommand.Version.class,
    description =
        "IHE ATNA audit record repository: syslog and FHIR in, FHIR R5 AuditEvent search out.",
    subcommands = {
      ServeCommand.class,
      ServiceCommands.Ingest.class,
      ServiceCommands.Streams.class,
      ServiceCommands.Indexer.class,
      ServiceCommands.Api.class,
      ConvertCommand.class,
      ReferenceCommand.class,
      VerifyCommand.class,
      DlqCommand.class,
      ReplayCommand.class,
      TopicsCommand.class,
      TokenCommand.class,
      LoginLinkCommand.class,
      RulesCommand.class,
      CommandLine.HelpCommand.class
    })
public final class AtnaBridgeCommand implements Runnable {

  private static final List<String> TOP_LEVEL_ONLY = List.of("-h", "--help", "-V", "--version");

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
  }

  public static void main(String[] args) {
    // TLS 1.3 session tickets sent after the handshake make senders that never read (syslog
    // clients such as loggen) reset the connection on exit, and the kernel then discards what
    // the listener had not read yet; syslog senders do not resume sessions, so send none
    if (System.getProperty("jdk.tls.server.newSessionTicketCount") == null) {
      System.setProperty("jdk.tls.server.newSessionTicketCount", "0");
    }
    System.exit(execute(args));
  }

  public static int execute(String... args) {
    CommandLine cli = commandLine();
    return cli.execute(withDefaultSubcommand(cli, args));
  }

  /**
   * The command line with its exit-code rules (2 for a bad setting); output streams may be
   * replaced.
   */
  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new AtnaBridgeCommand());
    cli.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          if (e instanceof IllegalArgumentException) {
            cmd.getErr().println("atna-bridge: " + e.getMessage());
            return 2;
          }
          cmd.getErr().println("atna-bridge: " + e.getMessage());
          return 1;
        });
    return cli;
  }

  static String[] withDefaultSubcommand(CommandLine cli, String[] args) {
    if (args.length > 0
        && (cli.getSubcommands().containsKey(args[0]) || TOP_LEVEL_ONLY.contains(args[0]))) {
      return args;
    }
    String[] withServe = new String[args.length + 1];
    withServe[0] = "serve";
    System.arraycopy(args, 0, withServe, 1, args.length);
    return withServe;
  }

  /**
   * The Maven project version, from the jar's manifest ({@code Implementation-Version}); {@code
   * dev} outside a jar.
   */
  static String productVersion() {
    String v = AtnaBridgeCommand.class.getPackage().getImplementationVersion();
    return v == null || v.isBlank() ? "dev" : v;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"atna-bridge " + productVersion()};
    }
  }
}
