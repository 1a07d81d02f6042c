package org.atnabridge.allinone;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.atnabridge.streams.reference.ReferenceFile;
import org.atnabridge.streams.reference.ReferenceLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code atna-bridge reference load [--kafka-bootstrap HOST:PORT] FILE}: loads reference data (a
 * FHIR R5 Bundle of Practitioner, PractitionerRole, Organization, Patient and Device, or a CSV with
 * the columns {@code kind,id,system,value,display,confidentiality,flags} — see {@link
 * ReferenceFile}) into the compacted reference topics the enrichment joins.
 *
 * <p>Each malformed row (or Bundle entry) is reported on stderr with its line (entry) number and
 * skipped; the rest loads. Exit codes: 0 everything loaded, 1 some rows skipped or Kafka failed, 2
 * usage error.
 */
@Command(
    name = "reference",
    mixinStandardHelpOptions = true,
    description = "Reference data for the enrichment.",
    subcommands = {ReferenceCommand.Load.class})
final class ReferenceCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand (load)");
  }

  @Command(
      name = "load",
      mixinStandardHelpOptions = true,
      description = {
        "Load a FHIR Bundle (JSON) or CSV of people, patients and systems into the reference topics.",
        "CSV columns: kind,id,system,value,display,confidentiality,flags (kind = practitioner | organization |"
            + " patient | device; confidentiality = U|L|M|N|R|V; flags = VIP;EMPLOYEE;RESTRICTED).",
        "Malformed rows are reported with their line number; the rest loads.",
        "Exit 0 all loaded, 1 rows skipped or Kafka failed, 2 usage error."
      })
  static final class Load implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--kafka-bootstrap",
        defaultValue = "${env:ATNA_KAFKA_BOOTSTRAP:-127.0.0.1:9092}",
        description =
            "Kafka to load into (env ATNA_KAFKA_BOOTSTRAP; default ${DEFAULT-VALUE}, the local serve's broker).")
    String kafkaBootstrap;

    @Option(
        names = "--timeout",
        defaultValue = "PT60S",
        converter = DurationConverter.class,
        description =
            "How long to wait for Kafka to acknowledge everything, e.g. 60s or PT60S "
                + "(default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Parameters(
        index = "0",
        paramLabel = "FILE",
        description = "A FHIR R5 Bundle (.json) or a CSV file.")
    Path file;

    @Override
    public Integer call() throws Exception {
      if (!Files.isReadable(file)) {
        throw new IllegalArgumentException("cannot read " + file);
      }
      if (!kafkaBootstrap.matches("[^\\s,]+:\\d+(,[^\\s,]+:\\d+)*")) {
        throw new IllegalArgumentException(
            "--kafka-bootstrap must be host:port[,host:port...], got: " + kafkaBootstrap);
      }
      ReferenceFile.Parsed parsed = ReferenceFile.read(file);
      for (String problem : parsed.problems()) {
        spec.commandLine().getErr().println(file + ": " + problem);
      }
      Map<String, Integer> counts =
          new TreeMap<>(ReferenceLoader.send(kafkaBootstrap, parsed.records(), timeout));
      spec.commandLine()
          .getOut()
          .println(
              "loaded "
                  + parsed.records().size()
                  + " records"
                  + (counts.isEmpty() ? "" : " " + counts)
                  + ", skipped "
                  + parsed.problems().size());
      spec.commandLine().getOut().flush();
      return parsed.problems().isEmpty() ? 0 : 1;
    }
  }
}
