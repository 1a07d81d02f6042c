package org.atnabridge.search.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Date;
import java.util.List;
import java.util.function.Consumer;
import org.atnabridge.schemas.vocab.CodeSystems;
import org.hl7.fhir.r5.model.AuditEvent;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.Reference;
import org.junit.jupiter.api.Test;

/**
 * A posted event's id is its content and its authenticated client, never its meta (which the server
 * sets: {@code meta.source} = the client, {@code lastUpdated}, labels).
 */
class FeedIdsTest {

  static AuditEvent event() {
    AuditEvent e = new AuditEvent();
    e.setRecorded(new Date(1_790_000_000_000L));
    e.getCode().addCoding(new Coding(CodeSystems.DCM, "110112", "Query"));
    e.setSource(new AuditEvent.AuditEventSourceComponent(new Reference().setDisplay("portal")));
    e.addAgent().getWho().getIdentifier().setValue("dr.who");
    return e;
  }

  @Test
  void postedId_sameContentSameClient_sameId_whateverTheMeta() {
    String id = FeedIds.postedId(event(), "client-a");
    assertThat(id).matches("[0-9a-f]{40}");
    record Variant(String what, Consumer<AuditEvent> change) {}
    for (Variant v :
        List.of(
            new Variant("a client-chosen id", e -> e.setId("chosen")),
            new Variant(
                "meta.source (set by the server to the client)",
                e -> e.getMeta().setSource("urn:client:b")),
            new Variant("meta.lastUpdated", e -> e.getMeta().setLastUpdated(new Date())),
            new Variant("meta.versionId", e -> e.getMeta().setVersionId("7")),
            new Variant(
                "meta.tag / meta.security",
                e ->
                    e.getMeta()
                        .addTag("urn:x", "y", null)
                        .addSecurity(new Coding("urn:s", "V", null))))) {
      AuditEvent e = event();
      v.change().accept(e);
      assertThat(FeedIds.postedId(e, "client-a")).as(v.what()).isEqualTo(id);
    }
  }

  @Test
  void postedId_otherClientOrOtherContentOrServerRecord_otherId() {
    String id = FeedIds.postedId(event(), "client-a");
    AuditEvent other = event();
    other.addAgent().getWho().getIdentifier().setValue("dr.no");
    assertThat(
            List.of(
                FeedIds.postedId(event(), "client-b"),
                FeedIds.postedId(other, "client-a"),
                FeedIds.contentId(event())))
        .doesNotContain(id)
        .doesNotHaveDuplicates();
  }
}
