package org.atnabridge.allinone;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.jar.JarFile;
import org.atnabridge.schemas.Fhir;
import org.hl7.fhir.r5.model.CapabilityStatement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve --show-version}: {@code /fhir/metadata} states the product's version (the jar's
 * {@code Implementation-Version}, the Maven project version), never HAPI's. Without the option no
 * version at all is stated: {@code ReadmeTryItIT} checks that on a default {@code serve}.
 */
class MetadataVersionIT {

  @TempDir Path dir;
  private ServeProcess serve;

  @AfterEach
  void kill() throws InterruptedException {
    if (serve != null) {
      serve.close();
    }
  }

  @Test
  void showVersion_statesTheProductVersion() throws Exception {
    int http = ServeProcess.freePort();
    serve =
        ServeProcess.serve(dir, http, ServeProcess.freePort(), 0, "--show-version")
            .awaitReady(Duration.ofSeconds(90));

    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/fhir/metadata"))
                    .header("Accept", "application/fhir+json")
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    CapabilityStatement cs =
        Fhir.context().newJsonParser().parseResource(CapabilityStatement.class, r.body());
    String version;
    try (JarFile jar = new JarFile(ServeProcess.JAR.toFile())) {
      version = jar.getManifest().getMainAttributes().getValue("Implementation-Version");
    }
    assertThat(version).isNotBlank();
    assertThat(cs.getSoftware().getVersion()).isEqualTo(version);
    assertThat(cs.getSoftware().getName()).isEqualTo("ATNA Bridge");
  }
}
