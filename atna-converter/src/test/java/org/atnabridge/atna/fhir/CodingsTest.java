package org.atnabridge.atna.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import org.atnabridge.atna.dicom.CodedValue;
import org.atnabridge.atna.fhir.Codings.Context;
import org.atnabridge.schemas.vocab.CodeSystems;
import org.junit.jupiter.api.Test;

class CodingsTest {

  @Test
  void system_knownNames() {
    assertThat(Codings.system("DCM", null)).isEqualTo(CodeSystems.DCM);
    assertThat(Codings.system("IHE Transactions", null)).isEqualTo(CodeSystems.IHE_TRANSACTIONS);
    assertThat(Codings.system("2.16.840.1.113883.6.96", null)).isEqualTo(CodeSystems.SNOMED);
    assertThat(Codings.system("2.16.756.5.30.1.127.3.10.5", null))
        .isEqualTo("urn:oid:2.16.756.5.30.1.127.3.10.5");
    assertThat(Codings.system(null, "1.2.840.10008.2.16.4")).isEqualTo(CodeSystems.DCM);
    assertThat(Codings.system("IHE XDS Metadata", null))
        .isEqualTo("urn:x-codesystemname:IHE%20XDS%20Metadata");
    assertThat(Codings.system(null, null)).isNull();
  }

  @Test
  void coding_sourceTypeDigitIsSrcWhateverTheName() {
    var c =
        Codings.coding(
            new CodedValue("4", "DCM", null, "Application Server Process or Thread", null),
            Context.SOURCE_TYPE);

    assertThat(c.getSystem()).isEqualTo(CodeSystems.SECURITY_SOURCE_TYPE);
    assertThat(c.getCode()).isEqualTo("4");
    assertThat(c.getDisplay()).isEqualTo("Application Server");
  }

  @Test
  void coding_defaultsWhenNoSystemNamed() {
    assertThat(
            Codings.coding(
                    new CodedValue("110100", null, null, null, "Application Activity"),
                    Context.EVENT_ID)
                .getSystem())
        .isEqualTo(CodeSystems.DCM);
    assertThat(
            Codings.coding(new CodedValue("2", null, null, null, null), Context.OBJECT_ID_TYPE)
                .getSystem())
        .isEqualTo(CodeSystems.RFC3881);
    assertThat(
            Codings.coding(new CodedValue("ITI-18", null, null, null, null), Context.EVENT_TYPE)
                .getSystem())
        .isEqualTo(CodeSystems.IHE_TRANSACTIONS);
  }
}
