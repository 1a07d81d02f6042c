package org.atnabridge.streams.reference;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.atnabridge.schemas.Topics;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A reference patient without an identifier system is refused by name; the rest of the file loads.
 */
class ReferenceFileTest {

  static Stream<Arguments> patientWithoutSystem() {
    return Stream.of(
        Arguments.of(
            "CSV row of the probe",
            """
            kind,id,system,value,display,confidentiality,flags
            patient,PA,urn:oid:1.2.3.4,PAT-A,Anna Patient,,
            patient,PB,,PAT-Q,Quentin Patient,,
            device,mpi,,MPI,Master Patient Index,,
            """,
            "line 3: patient PB has an identifier without a system"),
        Arguments.of(
            "Bundle entry",
            """
            {"resourceType":"Bundle","type":"collection","entry":[
              {"resource":{"resourceType":"Patient","id":"PA","identifier":[{"system":"urn:oid:1.2.3.4","value":"PAT-A"}]}},
              {"resource":{"resourceType":"Patient","id":"PB","identifier":[{"system":"urn:oid:1.2.3.4","value":"PAT-B"},
                {"value":"PAT-Q"}],"name":[{"text":"Quentin Patient"}]}},
              {"resource":{"resourceType":"Device","id":"mpi","identifier":[{"value":"MPI"}]}}]}
            """,
            "entry 2: Patient/PB has an identifier without a system"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void patientWithoutSystem(String what, String file, String problem) {
    ReferenceFile.Parsed parsed = ReferenceFile.parse(file);

    assertThat(parsed.problems()).singleElement().asString().startsWith(problem);
    assertThat(parsed.records())
        .extracting(ReferenceRecord::key)
        .containsExactly("urn:oid:1.2.3.4|PAT-A", "MPI");
    assertThat(parsed.records())
        .filteredOn(r -> r.topic() == Topics.REFERENCE_PATIENTS)
        .allSatisfy(r -> assertThat(r.key()).contains("|"));
  }
}
