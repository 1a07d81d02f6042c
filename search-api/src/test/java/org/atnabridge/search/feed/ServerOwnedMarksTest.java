package org.atnabridge.search.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Consumer;
import java.util.stream.Stream;
import org.atnabridge.schemas.RawRecordReference;
import org.atnabridge.schemas.chain.ChainLink;
import org.atnabridge.schemas.vocab.CodeSystems;
import org.atnabridge.schemas.vocab.Extensions;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.Extension;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.StringType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ServerOwnedMarksTest {

  static final String REPOSITORY = "atna-bridge";
  static final String OURS = Extensions.NAMESPACE;

  static Stream<Arguments> serverOwned() {
    return Stream.of(
        row(
            "self-audit tag",
            e -> e.getMeta().addTag(OURS + "CodeSystem/record-origin", "self-audit", null),
            "AuditEvent.meta.tag[0]"),
        row(
            "legal hold tag",
            e -> e.getMeta().addTag(OURS + "CodeSystem/retention", "legal-hold", null),
            "AuditEvent.meta.tag[0]"),
        row(
            "conversion flag",
            e -> e.getMeta().addTag(CodeSystems.CONVERSION_FLAG, "x", null),
            "AuditEvent.meta.tag[0]"),
        row(
            "second tag of ours after a client's",
            e ->
                e.getMeta()
                    .addTag("urn:client", "a", null)
                    .addTag(CodeSystems.BALP_PATTERN, "read", null),
            "AuditEvent.meta.tag[1]"),
        row(
            "confidentiality label",
            e -> e.getMeta().addSecurity(new Coding(CodeSystems.V3_CONFIDENTIALITY, "N", null)),
            "AuditEvent.meta.security[0]"),
        row(
            "sensitivity label (v3-ActCode) after a test-data label",
            e ->
                e.getMeta()
                    .addSecurity(new Coding(CodeSystems.V3_ACT_REASON, "HTEST", null))
                    .addSecurity(new Coding(CodeSystems.V3_ACT_CODE, "PSY", null)),
            "AuditEvent.meta.security[1]"),
        row("raw-receipt", e -> e.addExtension(receipt()), "AuditEvent.extension[0]"),
        row(
            "syslog-header",
            e -> e.addExtension(Extensions.SYSLOG_HEADER, null),
            "AuditEvent.extension[0]"),
        row(
            "correlation-id",
            e -> e.addExtension(Extensions.CORRELATION_ID, new StringType("c")),
            "AuditEvent.extension[0]"),
        row(
            "chain",
            e -> new ChainLink(0, 7, "0".repeat(64), "1".repeat(64), "prev", null, null).applyTo(e),
            "AuditEvent.extension[0]"),
        row(
            "raw-record",
            e -> RawRecordReference.of("atna.raw", 0, 42).applyTo(e),
            "AuditEvent.extension[0]"),
        row(
            "network-class on an agent",
            e ->
                e.getAgentFirstRep()
                    .addExtension(
                        OURS + "StructureDefinition/network-class", new StringType("internal")),
            "AuditEvent.agent[0].extension[0]"),
        row(
            "an unknown extension of ours, as modifier, in an entity",
            e ->
                e.addEntity()
                    .addModifierExtension(
                        OURS + "StructureDefinition/new-thing", new StringType("x")),
            "AuditEvent.entity[0].modifierExtension[0]"),
        row(
            "observer is this repository",
            e -> e.getSource().getObserver().getIdentifier().setValue(REPOSITORY),
            "AuditEvent.source.observer"),
        row(
            "observer displayed as this repository",
            e -> e.getSource().getObserver().setDisplay(" ATNA-Bridge"),
            "AuditEvent.source.observer"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("serverOwned")
  void serverOwnedMark_isRefused_namingTheElement(
      String name, Consumer<AuditEvent> mark, String expression) {
    AuditEvent event = FeedValidatorTest.valid();
    mark.accept(event);
    assertThat(ServerOwnedMarks.check(event, REPOSITORY))
        .singleElement()
        .satisfies(
            issue -> {
              assertThat(issue.expression()).isEqualTo(expression);
              assertThat(issue.message()).contains("set by this repository only");
              assertThat(issue.kind()).isEqualTo(FeedValidator.Issue.Kind.SERVER_OWNED);
            });
  }

  static Stream<Arguments> senderOwned() {
    return Stream.of(
        row("a client's own tag", e -> e.getMeta().addTag("urn:client", "batch-7", null), null),
        row(
            "a test-data label, as the IHE BALP examples carry",
            e -> e.getMeta().addSecurity(new Coding(CodeSystems.V3_ACT_REASON, "HTEST", null)),
            null),
        row(
            "meta.source (overwritten, not refused)",
            e -> e.getMeta().setSource("urn:client"),
            null),
        row(
            "DICOM fidelity extensions the R4 mapping writes",
            e -> {
              AuditEvent.AuditEventEntityComponent entity = e.addEntity();
              entity.addExtension(Extensions.PARTICIPANT_OBJECT_TYPE, new Coding("x", "1", null));
              entity.addExtension(
                  Extensions.PARTICIPANT_OBJECT_ID, new StringType("PAT-1^^^&1.2&ISO"));
              e.getAgentFirstRep()
                  .addExtension(
                      Extensions.NETWORK_ACCESS_POINT_TYPE,
                      new Coding(CodeSystems.NETWORK_ACCESS_POINT_TYPE, "2", null));
            },
            null),
        row(
            "HL7 extensions",
            e ->
                e.getAgentFirstRep()
                    .addExtension(
                        Extensions.HL7_ALTERNATIVE_USER_ID, new Identifier().setValue("alt")),
            null),
        row(
            "sensitivity stated the DICOM way",
            e ->
                e.addEntity()
                    .addSecurityLabel(
                        new CodeableConcept(new Coding(CodeSystems.V3_CONFIDENTIALITY, "R", null))),
            null),
        row(
            "an observer named like this repository, but another",
            e -> e.getSource().getObserver().getIdentifier().setValue("atna-bridge-2"),
            null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("senderOwned")
  void whatTheSenderOwns_isAccepted(String name, Consumer<AuditEvent> mark, String ignored) {
    AuditEvent event = FeedValidatorTest.valid();
    mark.accept(event);
    assertThat(ServerOwnedMarks.check(event, REPOSITORY)).isEmpty();
  }

  private static Arguments row(String name, Consumer<AuditEvent> mark, String expression) {
    return Arguments.of(name, mark, expression);
  }

  private static Extension receipt() {
    Extension ext = new Extension(Extensions.RAW_RECEIPT);
    ext.addExtension(Extensions.RECEIPT_TRANSPORT, new org.hl7.fhir.r5.model.CodeType("tls"));
    ext.addExtension(Extensions.RECEIPT_PEER, new StringType("10.0.0.5:6514"));
    return ext;
  }
}
