package org.atnabridge.bench.ipf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.atnabridge.bench.ipf.Classification.Verdict;
import org.junit.jupiter.api.Test;

/** The comparison itself: pairing by key, normalisation, and that an unexplained change fails. */
class EventDiffTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String text) throws Exception {
    return Normalisation.event(JSON.readTree(text.replace('\'', '"')));
  }

  @Test
  void agentsInAnotherOrder_andTheSameInstant_areNoDifference() throws Exception {
    JsonNode ours =
        json(
            "{'id':'a','recorded':'2020-03-19T12:34:06.367Z','agent':["
                + "{'who':{'display':'B'},'requestor':false},{'who':{'display':'A'},'requestor':true}]}");
    JsonNode ipf =
        json(
            "{'recorded':'2020-03-19T12:34:06.367+00:00','agent':["
                + "{'who':{'display':'A'},'requestor':true},{'who':{'display':'B'},'requestor':false}]}");

    assertThat(EventDiff.between(ours, ipf)).isEmpty();
  }

  @Test
  void anUnexplainedDifference_isOurBug() throws Exception {
    JsonNode ours = json("{'action':'C','agent':[{'who':{'identifier':{'value':'A'}}}]}");
    JsonNode ipf = json("{'action':'E','agent':[{'who':{'display':'A'}}]}");

    assertThat(EventDiff.between(ours, ipf))
        .extracting(d -> d.path() + " " + Classification.classify(d, ours, ipf).verdict())
        .containsExactlyInAnyOrder(
            "action " + Verdict.OUR_BUG,
            "agent[A].who.display " + Verdict.IPF_DEVIATION,
            "agent[A].who.identifier " + Verdict.IPF_DEVIATION);
  }

  @Test
  void aCxKeptWhole_isIpfsDeviation_aDroppedNetwork_isOurs() throws Exception {
    JsonNode ours =
        json(
            "{'agent':[{'who':{'identifier':{'value':'A'}}}],'entity':[{'what':{'identifier':"
                + "{'system':'urn:oid:1.2','value':'27'}},'role':{'code':'1'}}]}");
    JsonNode ipf =
        json(
            "{'agent':[{'who':{'display':'A'},'network':{'address':'10.1.1.7','type':'2'}}],"
                + "'entity':[{'what':{'identifier':{'value':'27^^^&1.2&ISO'}},'role':{'code':'1'}}]}");

    assertThat(EventDiff.between(ours, ipf))
        .extracting(d -> d.path() + " " + Classification.classify(d, ours, ipf).id())
        .contains(
            "agent[A].network B3",
            "entity[27].what.identifier.value D11",
            "entity[27].what.identifier.system D11");
  }
}
