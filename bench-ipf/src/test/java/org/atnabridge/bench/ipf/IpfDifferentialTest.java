package org.atnabridge.bench.ipf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.atnabridge.bench.ipf.Classification.Classified;
import org.atnabridge.bench.ipf.Classification.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Differential test against IPF 5.1.0: for every DICOM test vector IPF can read, our R4 projection
 * (the packaged product, {@code convert --fhir-version R4}, as a separate process) against IPF's
 * DICOM → FHIR R4 AuditEvent translation, field by field. Every difference is classified in code
 * ({@link Classification}); an unexplained one is our bug and fails the test. Writes the {@code
 * ipf} section of {@code docs/conformance.md}.
 */
class IpfDifferentialTest {

  private static final List<String> FOLDERS = List.of("dicom-audit-xml", "rfc3881-legacy-xml");

  @TempDir Path work;

  @Test
  void ourR4Projection_differsFromIpf_onlyWhereIpfDeviates() throws IOException {
    ProductConvert product = new ProductConvert(ProductConvert.packagedJar(), work);
    IpfTranslation ipf = new IpfTranslation();
    DifferentialReport report = new DifferentialReport();

    for (Path file : vectors()) {
      String name = IpfBenchmarks.corpus().relativize(file).toString();
      IpfTranslation.Result theirs = ipf.translate(file);
      if (!theirs.readable()) {
        report.unreadable(name, theirs.failure());
        continue;
      }
      List<JsonNode> ours = product.convert(file);
      assertThat(ours).as("our events for %s", name).isNotEmpty();
      JsonNode ipfEvent = Normalisation.event(theirs.event());
      List<Classified> differences = new ArrayList<>();
      for (JsonNode event : ours) {
        JsonNode ourEvent = Normalisation.event(event);
        for (EventDiff.Difference d : EventDiff.between(ourEvent, ipfEvent)) {
          differences.add(Classification.classify(d, ourEvent, ipfEvent));
        }
      }
      report.compared(new DifferentialReport.Vector(name, ours.size(), differences));
    }

    boolean stale = ConformanceSection.write(ConformanceSection.file(), "ipf", report.markdown());

    // IPF's reach, as the README states it: every DICOM vector but one; no RFC 3881 one.
    assertThat(report.all(Verdict.OUR_BUG))
        .as("our bugs against IPF:%n%s", report.bugs())
        .isEmpty();
    assertThat(stale && !Boolean.getBoolean("conformance.update"))
        .as(
            "%s section 'ipf' was stale and has been regenerated: review it and commit it (or run"
                + " with -Dconformance.update=true)",
            ConformanceSection.file())
        .isFalse();
  }

  /** The DICOM-format vectors and the RFC 3881 ones, whichever IPF turns out to read. */
  private static List<Path> vectors() throws IOException {
    List<Path> files = new ArrayList<>();
    for (String folder : FOLDERS) {
      try (Stream<Path> list = Files.list(IpfBenchmarks.corpus().resolve(folder))) {
        list.filter(Files::isRegularFile).sorted().forEach(files::add);
      }
    }
    return files;
  }
}
