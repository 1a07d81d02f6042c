package org.atnabridge.bench.ipf;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openehealth.ipf.commons.audit.model.AuditMessage;
import org.openehealth.ipf.commons.audit.unmarshal.dicom.DICOMAuditParser;
import org.openehealth.ipf.commons.ihe.fhir.support.audit.marshal.BalpJsonSerializationStrategy;

/**
 * IPF 5.1.0's side of the comparison: {@code DICOMAuditParser} (no XSD validation) and IPF's DICOM
 * → FHIR R4 AuditEvent mapping as {@code BalpJsonSerializationStrategy} writes it.
 */
final class IpfTranslation {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final DICOMAuditParser parser = new DICOMAuditParser();
  private final BalpJsonSerializationStrategy balp =
      new BalpJsonSerializationStrategy(FhirContext.forR4Cached());

  /** What IPF made of one file: the parsed message and its R4 JSON, or why IPF cannot read it. */
  record Result(Path file, AuditMessage message, JsonNode event, String failure) {
    boolean readable() {
      return failure == null;
    }
  }

  Result translate(Path file) {
    String xml = xmlOf(file);
    AuditMessage message;
    try {
      message = parser.parse(xml, false);
    } catch (RuntimeException e) {
      return new Result(file, null, null, e.getClass().getSimpleName() + ": " + e.getMessage());
    }
    try {
      StringWriter out = new StringWriter(4096);
      balp.marshal(message, out, false);
      return new Result(file, message, JSON.readTree(out.toString()), null);
    } catch (IOException | RuntimeException e) {
      return new Result(file, message, null, e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  /** IPF takes XML text: a syslog-framed file is reduced to its XML payload. */
  private static String xmlOf(Path file) {
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      int xml = text.indexOf("<?xml");
      return xml > 0 ? text.substring(xml) : text;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
