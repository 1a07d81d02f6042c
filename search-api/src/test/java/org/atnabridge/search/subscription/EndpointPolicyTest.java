package org.atnabridge.search.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EndpointPolicyTest {

  /** Names resolve with the real JDK resolver; IP literals need no DNS. */
  private final EndpointPolicy https = new EndpointPolicy(SubscriptionSettings.DEFAULTS);

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://127.0.0.1/hook",
        "https://127.1.2.3/hook",
        "https://[::1]/hook",
        "https://169.254.169.254/latest/meta-data/",
        "https://10.0.0.8/hook",
        "https://172.16.5.4/hook",
        "https://192.168.1.1/hook",
        "https://100.64.0.1/hook",
        "https://0.0.0.0/hook",
        "https://[::]/hook",
        "https://224.0.0.1/hook",
        "https://[fd00::1]/hook",
        "https://[fe80::1]/hook",
        "https://[::ffff:127.0.0.1]/hook",
        "https://[::ffff:169.254.169.254]/hook",
        "https://localhost/hook",
        "https://localhost:8443/hook"
      })
  void refusesSpecialAddressesAndNamesResolvingToThem(String endpoint) {
    assertThat(https.refusal(endpoint)).isPresent();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "file:///etc/passwd",
        "gopher://93.184.215.14:70/_GET",
        "ftp://93.184.215.14/x",
        "http://93.184.215.14/hook",
        "https://user:secret@93.184.215.14/hook",
        "not a url",
        "/relative/hook"
      })
  void refusesOtherSchemesUserInfoAndNonUrls(String endpoint) {
    assertThat(https.refusal(endpoint)).isPresent();
  }

  @Test
  void acceptsHttpsToAPublicAddress() {
    assertThat(https.refusal("https://93.184.215.14/hook")).isEmpty();
    assertThat(https.refusal("https://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/hook")).isEmpty();
  }

  @Test
  void httpOnlyWhenAllowed() {
    EndpointPolicy http = new EndpointPolicy(SubscriptionSettings.DEFAULTS.withAllowHttp(true));
    assertThat(http.refusal("http://93.184.215.14/hook")).isEmpty();
    assertThat(http.refusal("http://127.0.0.1/hook")).isPresent();
    assertThat(http.refusal("gopher://93.184.215.14/")).isPresent();
  }

  @Test
  void aListedPrefixAdmitsItsPrivateHostAndNothingElse() {
    EndpointPolicy listed =
        new EndpointPolicy(
            SubscriptionSettings.DEFAULTS.withEndpoints(
                List.of("https://10.1.2.3:8443/hooks/", "https://hooks.example.org")));
    assertThat(listed.refusal("https://10.1.2.3:8443/hooks/a")).isEmpty();
    assertThat(listed.refusal("https://hooks.example.org/x")).isEmpty();
    assertThat(listed.refusal("https://10.1.2.3:8443/other")).isPresent();
    assertThat(listed.refusal("https://10.1.2.3:8443/hooks/../admin")).isPresent();
    assertThat(listed.refusal("https://hooks.example.org.evil.test/x")).isPresent();
    assertThat(listed.refusal("https://93.184.215.14/hook")).isPresent();
    assertThat(listed.refusal("http://10.1.2.3:8443/hooks/a")).isPresent(); // https only
  }

  @Test
  void aNameThatResolvesToLoopbackIsRefusedEvenAmongPublicAddresses() {
    EndpointPolicy rebinding =
        new EndpointPolicy(
            SubscriptionSettings.DEFAULTS,
            host ->
                new InetAddress[] {
                  InetAddress.getByName("93.184.215.14"), InetAddress.getByName("127.0.0.1")
                });
    assertThat(rebinding.refusal("https://hooks.example.org/x")).isPresent();
  }
}
