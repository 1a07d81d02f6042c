package org.atnabridge.allinone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.atnabridge.kafka.embedded.EmbeddedKafkaBroker;
import org.atnabridge.schemas.Topic;
import org.atnabridge.schemas.Topics;
import org.atnabridge.testing.KafkaBrokerExtension;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.Resource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code atna-bridge reference load} into the real broker: CSV with a malformed row, and a FHIR
 * Bundle.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ReferenceCommandIT {

  @TempDir Path dir;

  @Test
  void load_csvWithMalformedRow_reportsLineNumberAndLoadsTheRest(EmbeddedKafkaBroker kafka)
      throws Exception {
    kafka.createTopics(Topics.newTopics((short) 1));
    String user = "u-" + UUID.randomUUID();
    Path csv =
        Files.writeString(
            dir.resolve("ref.csv"),
            """
        kind,id,system,value,display,confidentiality,flags
        practitioner,p1,,%s,Dr. One,,
        doctor,p2,,x,Bad Kind,,
        patient,pat1,urn:oid:1.2.3,%s,Pat One,V,VIP
        patient,"unterminated,,,,,
        """
                .formatted(user, user));
    String[] out =
        run("reference", "load", "--kafka-bootstrap", kafka.bootstrapServers(), csv.toString());
    assertThat(out[0]).isEqualTo("1");
    assertThat(out[1])
        .contains("line 3: unknown kind \"doctor\"")
        .contains("line 5: unterminated quoted field")
        .contains("loaded 2 records");
    Map<String, Resource> people = read(kafka, Topics.REFERENCE_PEOPLE, user);
    assertThat(people.get(user).getIdElement().getIdPart()).isEqualTo("p1");
    Resource patient =
        read(kafka, Topics.REFERENCE_PATIENTS, "urn:oid:1.2.3|" + user)
            .get("urn:oid:1.2.3|" + user);
    assertThat(patient.getMeta().getSecurity())
        .extracting(Coding::getCode)
        .containsExactly("V", "CEL");
  }

  @Test
  void load_bundle_keysEveryIdentifier(EmbeddedKafkaBroker kafka) throws Exception {
    kafka.createTopics(Topics.newTopics((short) 1));
    String node = "node-" + UUID.randomUUID();
    Path bundle =
        Files.writeString(
            dir.resolve("ref.json"),
            """
        {"resourceType":"Bundle","type":"collection","entry":[
          {"resource":{"resourceType":"Device","id":"d1","identifier":[{"value":"%s"}],"displayName":"PACS"}},
          {"resource":{"resourceType":"Observation","id":"o1","status":"final","code":{"text":"x"}}}
        ]}"""
                .formatted(node));
    String[] out =
        run("reference", "load", "--kafka-bootstrap", kafka.bootstrapServers(), bundle.toString());
    assertThat(out[0]).isEqualTo("1");
    assertThat(out[1]).contains("entry 2: unsupported resource type Observation");
    assertThat(read(kafka, Topics.REFERENCE_NODES, node).get(node).getIdElement().getIdPart())
        .isEqualTo("d1");
  }

  private static String[] run(String... args) {
    StringWriter sw = new StringWriter();
    CommandLine cli = new CommandLine(new AtnaBridgeCommand());
    cli.setOut(new PrintWriter(sw, true));
    cli.setErr(new PrintWriter(sw, true));
    int code = cli.execute(args);
    return new String[] {Integer.toString(code), sw.toString()};
  }

  private static Map<String, Resource> read(
      EmbeddedKafkaBroker kafka, Topic<String, Resource> topic, String key) {
    Map<String, Resource> seen = new HashMap<>();
    try (KafkaConsumer<String, Resource> c =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "probe-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest"),
            new StringDeserializer(),
            topic.valueSerde().deserializer())) {
      c.subscribe(List.of(topic.name()));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                c.poll(Duration.ofMillis(200)).forEach(r -> seen.put(r.key(), r.value()));
                return seen.containsKey(key);
              });
    }
    return seen;
  }
}
