package org.atnabridge.allinone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import org.atnabridge.search.security.LocalIssuer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code serve --max-request-bytes}: parsed, validated naming the option, and applied by the FHIR
 * server.
 */
class MaxRequestBytesIT {

  @TempDir Path dataDir;

  @Test
  void option_defaultsTo5MiB_andIsParsed() {
    ServeCommand defaults = new ServeCommand();
    new CommandLine(defaults).parseArgs();
    assertThat(defaults.http.maxRequestBytes).isEqualTo(5L * 1024 * 1024);
    ServeCommand given = new ServeCommand();
    new CommandLine(given).parseArgs("--max-request-bytes", "65536");
    assertThat(given.http.maxRequestBytes).isEqualTo(65536);
  }

  @Test
  void outOfRange_isRefusedNamingTheOption() {
    assertThatThrownBy(() -> config(10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--max-request-bytes");
  }

  @Test
  void servedPipeline_answers413AboveTheConfiguredLimit() throws Exception {
    try (Pipeline pipeline = new Pipeline(config(64 * 1024)).start()) {
      byte[] body = new byte[100 * 1024];
      Arrays.fill(body, (byte) ' ');
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(pipeline.fhirBaseUrl() + "/AuditEvent"))
                      .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                      .header("Content-Type", "application/fhir+json")
                      // the API authenticates first; the limit applies to whoever may post
                      .header(
                          "Authorization",
                          "Bearer "
                              + LocalIssuer.open(pipeline.keysDir())
                                  .mint(
                                      "feeder",
                                      "system/AuditEvent.c",
                                      null,
                                      Set.of(),
                                      Duration.ofMinutes(5)))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(413);
      assertThat(r.body()).contains("OperationOutcome").contains("65536");
    }
  }

  private PipelineConfig config(long maxRequestBytes) {
    return PipelineConfig.builder(dataDir)
        .http("127.0.0.1", 0)
        .syslog("127.0.0.1", 0, 0)
        .kafkaPort(0)
        .maxRequestBytes(maxRequestBytes)
        .build();
  }
}
