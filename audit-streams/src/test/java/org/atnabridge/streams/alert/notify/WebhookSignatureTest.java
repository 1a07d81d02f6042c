package org.atnabridge.streams.alert.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The signer against the example of the Standard Webhooks specification and against an independent
 * receiver-side verification ({@link StandardWebhooksVerifier}).
 */
class WebhookSignatureTest {

  private static final String NEW_SECRET = "whsec_bmV3LXNlY3JldC1vZi10aGlzLXllYXItODc2NTQzMjE=";
  private static final String UNRELATED = "whsec_dW5yZWxhdGVkLXNlY3JldC0wMDAwMDAwMDAwMDA=";
  private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
  private static final long TS = 1614265330L;
  private static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
  private static final Instant AT = Instant.ofEpochSecond(TS);

  @Test
  void specificationExample_signsAsPublished() {
    assertThat(WebhookSignature.of(List.of(Alerts.SECRET)).sign(ID, TS, BODY))
        .isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  }

  @Test
  void correctSignature_accepted() {
    String header = WebhookSignature.of(List.of(Alerts.SECRET)).sign(ID, TS, BODY);
    assertThat(new StandardWebhooksVerifier(Alerts.SECRET).verify(ID, "" + TS, header, BODY, AT))
        .isTrue();
  }

  @Test
  void tamperedBody_idOrTimestamp_rejected() {
    String header = WebhookSignature.of(List.of(Alerts.SECRET)).sign(ID, TS, BODY);
    StandardWebhooksVerifier v = new StandardWebhooksVerifier(Alerts.SECRET);
    byte[] tampered = "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8);
    assertThat(v.verify(ID, "" + TS, header, tampered, AT)).isFalse();
    assertThat(v.verify(ID + "x", "" + TS, header, BODY, AT)).isFalse();
    assertThat(v.verify(ID, "" + (TS + 1), header, BODY, AT)).isFalse();
  }

  @Test
  void wrongSecret_rejected() {
    String header = WebhookSignature.of(List.of(UNRELATED)).sign(ID, TS, BODY);
    assertThat(new StandardWebhooksVerifier(Alerts.SECRET).verify(ID, "" + TS, header, BODY, AT))
        .isFalse();
  }

  @Test
  void rotation_oneSignaturePerSecret_primaryFirst_receiverWithEitherAccepts() {
    String header = WebhookSignature.of(List.of(NEW_SECRET, Alerts.SECRET)).sign(ID, TS, BODY);
    assertThat(header.split(" ")).hasSize(2);
    assertThat(header)
        .startsWith(WebhookSignature.of(List.of(NEW_SECRET)).sign(ID, TS, BODY) + " ")
        .endsWith(" " + WebhookSignature.of(List.of(Alerts.SECRET)).sign(ID, TS, BODY));
    assertThat(new StandardWebhooksVerifier(NEW_SECRET).verify(ID, "" + TS, header, BODY, AT))
        .as("receiver already on the new secret")
        .isTrue();
    assertThat(new StandardWebhooksVerifier(Alerts.SECRET).verify(ID, "" + TS, header, BODY, AT))
        .as("receiver still on the old secret")
        .isTrue();
    assertThat(new StandardWebhooksVerifier(UNRELATED).verify(ID, "" + TS, header, BODY, AT))
        .as("receiver with neither")
        .isFalse();
  }

  @Test
  void timestampOutsideTolerance_rejected_insideAccepted() {
    String header = WebhookSignature.of(List.of(Alerts.SECRET)).sign(ID, TS, BODY);
    StandardWebhooksVerifier v = new StandardWebhooksVerifier(Alerts.SECRET);
    long tolerance = StandardWebhooksVerifier.TOLERANCE.toSeconds();
    assertThat(v.verify(ID, "" + TS, header, BODY, AT.plusSeconds(tolerance - 1))).isTrue();
    assertThat(v.verify(ID, "" + TS, header, BODY, AT.minusSeconds(tolerance - 1))).isTrue();
    assertThat(v.verify(ID, "" + TS, header, BODY, AT.plusSeconds(tolerance + 1))).isFalse();
    assertThat(v.verify(ID, "" + TS, header, BODY, AT.minusSeconds(tolerance + 1))).isFalse();
  }

  @Test
  void secretNotBase64_refused_withoutNamingIt() {
    assertThatThrownBy(() -> WebhookSignature.of(List.of("whsec_not*base64!")))
        .isInstanceOf(IllegalArgumentException.class)
        .message()
        .doesNotContain("not*base64!");
    assertThat(WebhookSignature.of(List.of(Alerts.SECRET, NEW_SECRET)).toString())
        .doesNotContain("MfKQ9r8");
  }
}
