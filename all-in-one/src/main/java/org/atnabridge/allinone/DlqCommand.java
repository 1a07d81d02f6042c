package org.atnabridge.allinone;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code atna-bridge dlq list|show|redrive}: the records of {@code audit.dlq}, each the rejected
 * record's key, value and headers as they came plus why ({@code dlq.reason}, {@code dlq.detail})
 * and where from ({@code dlq.stage}, {@code dlq.source.*}).
 */
@Command(
    name = "dlq",
    mixinStandardHelpOptions = true,
    description = "The dead-letter topic audit.dlq: list, show and redrive its records.",
    subcommands = {DlqCommand.ListRecords.class, DlqCommand.Show.class, DlqRedrive.class})
final class DlqCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "missing subcommand (list, show, redrive)");
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = {
        "List the records of audit.dlq (offset, time, reason, source, detail) and the count per reason.",
        "--json: one JSON object per record, then {\"summary\":{\"total\":N,\"reasons\":{...}}}.",
        "Exit 0 listed, 1 Kafka failed, 2 usage error."
      })
  static final class ListRecords implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Mixin ToolKafkaOptions kafka;

    @Mixin DlqSelection selection;

    @Option(names = "--json", description = "NDJSON for scripts instead of a table.")
    boolean json;

    @Override
    public Integer call() {
      selection.validate();
      List<DeadLetter> records;
      try (ToolKafkaOptions.ToolKafka k = kafka.open()) {
        records = DeadLetterReader.read(k.bootstrap(), kafka.timeout, selection::matches);
      }
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        DeadLetterOutput.ndjson(out, records);
      } else {
        DeadLetterOutput.table(out, records);
      }
      out.flush();
      return 0;
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = {
        "Show one record of audit.dlq: its reason, headers and the original key and value",
        "(as text when printable UTF-8, else base64; --output writes the value's raw bytes to a file).",
        "Exit 0 shown, 1 Kafka failed, 2 usage error, 3 no record at that offset."
      })
  static final class Show implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Mixin ToolKafkaOptions kafka;

    @Parameters(index = "0", paramLabel = "OFFSET", description = "The record's offset.")
    long offset;

    @Option(
        names = "--partition",
        defaultValue = "0",
        description = "The record's partition of audit.dlq (default ${DEFAULT-VALUE}).")
    int partition;

    @Option(names = "--json", description = "One JSON object instead of text.")
    boolean json;

    @Option(
        names = "--output",
        paramLabel = "FILE",
        description = "Also write the original value's bytes, exactly, to FILE.")
    @Nullable Path output;

    @Override
    public Integer call() throws IOException {
      if (offset < 0 || partition < 0) {
        throw new IllegalArgumentException("OFFSET and --partition must be 0 or more");
      }
      DeadLetter d;
      try (ToolKafkaOptions.ToolKafka k = kafka.open()) {
        d = DeadLetterReader.at(k.bootstrap(), kafka.timeout, partition, offset);
      }
      if (d == null) {
        spec.commandLine()
            .getErr()
            .println(
                "atna-bridge: no record at audit.dlq partition " + partition + " offset " + offset);
        return 3;
      }
      if (output != null) {
        Files.write(output, d.value());
      }
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(DeadLetterOutput.json(d, true));
      } else {
        DeadLetterOutput.full(out, d);
      }
      out.flush();
      return 0;
    }
  }
}
