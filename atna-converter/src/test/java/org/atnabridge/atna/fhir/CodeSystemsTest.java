package org.atnabridge.atna.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import org.atnabridge.atna.dicom.CodedValue;
import org.atnabridge.atna.fhir.CodeSystems.Context;
import org.junit.jupiter.api.Test;

class CodeSystemsTest {

  @Test
  void system_knownNames() {
    assertThat(CodeSystems.system("DCM", null)).isEqualTo(CodeSystems.DCM);
    assertThat(CodeSystems.system("IHE Transactions", null)).isEqualTo(CodeSystems.IHE_TRANSACTIONS);
    assertThat(CodeSystems.system("2.16.840.1.113883.6.96", null)).isEqualTo(CodeSystems.SNOMED);
    assertThat(CodeSystems.system("2.16.756.5.30.1.127.3.10.5", null)).isEqualTo("urn:oid:2.16.756.5.30.1.127.3.10.5");
    assertThat(CodeSystems.system(null, "1.2.840.10008.2.16.4")).isEqualTo(CodeSystems.DCM);
    assertThat(CodeSystems.system("IHE XDS Metadata", null)).isEqualTo("urn:x-codesystemname:IHE%20XDS%20Metadata");
    assertThat(CodeSystems.system(null, null)).isNull();
  }

  @Test
  void coding_sourceTypeDigitIsSrcWhateverTheName() {
    var c = CodeSystems.coding(new CodedValue("4", "DCM", null, "Application Server Process or Thread", null), Context.SOURCE_TYPE);

    assertThat(c.getSystem()).isEqualTo(CodeSystems.SECURITY_SOURCE_TYPE);
    assertThat(c.getCode()).isEqualTo("4");
    assertThat(c.getDisplay()).isEqualTo("Application Server");
  }

  @Test
  void coding_defaultsWhenNoSystemNamed() {
    assertThat(CodeSystems.coding(new CodedValue("110100", null, null, null, "Application Activity"), Context.EVENT_ID).getSystem())
        .isEqualTo(CodeSystems.DCM);
    assertThat(CodeSystems.coding(new CodedValue("2", null, null, null, null), Context.OBJECT_ID_TYPE).getSystem())
        .isEqualTo(CodeSystems.RFC3881);
    assertThat(CodeSystems.coding(new CodedValue("ITI-18", null, null, null, null), Context.EVENT_TYPE).getSystem())
        .isEqualTo(CodeSystems.IHE_TRANSACTIONS);
  }
}
