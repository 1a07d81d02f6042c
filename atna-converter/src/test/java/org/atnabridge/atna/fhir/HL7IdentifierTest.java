package org.atnabridge.atna.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HL7IdentifierTest {

  @Test
  void parse_cxWithOid() {
    assertThat(HL7Identifier.parse("id^^^&1.2.3&ISO"))
        .isEqualTo(new HL7Identifier("id", "urn:oid:1.2.3", null, null));
    assertThat(HL7Identifier.parse("24^^^MPI&2.16.840.1&ISO^PI"))
        .isEqualTo(new HL7Identifier("24", "urn:oid:2.16.840.1", "MPI", "PI"));
  }

  @Test
  void parse_doubleEscapedAmpersand() {
    assertThat(HL7Identifier.parse("SELF-5^^^&amp;1.3.6.1&amp;ISO"))
        .isEqualTo(new HL7Identifier("SELF-5", "urn:oid:1.3.6.1", null, null));
  }

  @Test
  void parse_repetitionsUseTheFirst() {
    assertThat(HL7Identifier.parse("A^^^&1.1&ISO^PI~B^^^&2.2&ISO^PI").value()).isEqualTo("A");
  }

  @Test
  void parse_hl7EscapesInValue() {
    assertThat(HL7Identifier.parse("a\\S\\b\\T\\c^^^&1.2&ISO").value()).isEqualTo("a^b&c");
  }

  @Test
  void parse_partialForms() {
    assertThat(HL7Identifier.parse("ptid12345"))
        .isEqualTo(new HL7Identifier("ptid12345", null, null, null));
    assertThat(HL7Identifier.parse("x^^^HOSP"))
        .isEqualTo(new HL7Identifier("x", null, "HOSP", null));
    assertThat(HL7Identifier.parse("x^^^")).isEqualTo(new HL7Identifier("x", null, null, null));
    assertThat(HL7Identifier.parse("x^^^&abc&L").system()).isNull();
    assertThat(HL7Identifier.parse("x^^^&3f2a-11&UUID").system()).isEqualTo("urn:uuid:3f2a-11");
    assertThat(HL7Identifier.parse("x^^^&http://example.org/ids&URI").system())
        .isEqualTo("http://example.org/ids");
  }

  @Test
  void parse_fhirToken() {
    assertThat(HL7Identifier.parse("urn:oid:1.3.6.1.4.1.21367.13.20.3000|IHEBLUE-2340"))
        .isEqualTo(
            new HL7Identifier("IHEBLUE-2340", "urn:oid:1.3.6.1.4.1.21367.13.20.3000", null, null));
    assertThat(HL7Identifier.parse("ENTERPRISE|SYS").system()).isNull();
  }
}
