package org.atnabridge.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import org.atnabridge.schemas.Fhir;
import org.hl7.fhir.r5.model.Integer64Type;
import org.hl7.fhir.r5.model.Parameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Integer64JsonWriterTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '~',
      value = {
        "a number is quoted | {\"valueInteger64\":42} | {\"valueInteger64\":\"42\"}",
        "negative | {\"valueInteger64\":-7,\"x\":1} | {\"valueInteger64\":\"-7\",\"x\":1}",
        "pretty printed | {\"valueInteger64\": \t5 } | {\"valueInteger64\": \t\"5\" }",
        "already a string | {\"valueInteger64\":\"5\"} | {\"valueInteger64\":\"5\"}",
        "other numbers stay | {\"valueInteger\":5,\"count\":6} | {\"valueInteger\":5,\"count\":6}",
        "inside a string | {\"valueString\":\"\\\"valueInteger64\\\":5\"} | {\"valueString\":\"\\\"valueInteger64\\\":5\"}",
        "after a near miss | {\"\"valueInteger64\":3} | {\"\"valueInteger64\":\"3\"}",
        "two in a row | [{\"valueInteger64\":1},{\"valueInteger64\":22}] | [{\"valueInteger64\":\"1\"},{\"valueInteger64\":\"22\"}]",
        "SubscriptionStatus counts | {\"eventsSinceSubscriptionStart\":12,\"notificationEvent\":[{\"eventNumber\":11},{\"eventNumber\": 12}]} | {\"eventsSinceSubscriptionStart\":\"12\",\"notificationEvent\":[{\"eventNumber\":\"11\"},{\"eventNumber\": \"12\"}]}",
        "a longer name is not one | {\"xeventNumber\":1,\"eventNumbers\":2} | {\"xeventNumber\":1,\"eventNumbers\":2}"
      })
  void quotesIntegers64_only(String name, String in, String expected) {
    assertThat(Integer64JsonWriter.quote(in)).isEqualTo(expected);
  }

  @Test
  void sameResult_whateverHowTheTextIsCutIntoWrites() throws Exception {
    String json = "{\"a\":[{\"valueInteger64\":123456789012},{\"valueInteger64\": -9}]}";
    String whole = Integer64JsonWriter.quote(json);
    for (int cut = 1; cut < json.length(); cut++) {
      StringWriter s = new StringWriter();
      try (Integer64JsonWriter w = new Integer64JsonWriter(s)) {
        w.write(json, 0, cut);
        w.write(json.substring(cut).toCharArray());
      }
      assertThat(s.toString()).as("cut at %d", cut).isEqualTo(whole);
    }
  }

  @Test
  void hapisEncoding_becomesR5Json_andParsesBackToTheSameValue() {
    Parameters p = new Parameters();
    p.addParameter().setName("eventsMatching").setValue(new Integer64Type(9_000_000_000L));
    String hapi = Fhir.jsonParser().encodeResourceToString(p);
    assertThat(hapi).contains("\"valueInteger64\":9000000000"); // what the library writes

    String wire = Integer64JsonWriter.quote(hapi);

    assertThat(wire).contains("\"valueInteger64\":\"9000000000\"");
    Parameters back = Fhir.jsonParser().parseResource(Parameters.class, wire);
    assertThat(((Integer64Type) back.getParameterFirstRep().getValue()).getValue())
        .isEqualTo(9_000_000_000L);
  }
}
