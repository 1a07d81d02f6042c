package org.atnabridge.search.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.hl7.fhir.r5.model.Subscription;
import org.junit.jupiter.api.Test;

class BindingTokensTest {

  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  private static Subscription websocket(String id) {
    Subscription s = new Subscription();
    s.setId(id);
    BindingTokens.addKey(s);
    return s;
  }

  private static BindingTokens at(Instant now) {
    return new BindingTokens(Duration.ofMinutes(5), Clock.fixed(now, ZoneOffset.UTC));
  }

  @Test
  void aTokenBindsItsSubscriptionUntilItExpires() {
    Subscription s = websocket("a1");
    BindingTokens.Token t = at(T0).issue(s);
    assertThat(t.expires()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
    assertThat(BindingTokens.subscriptionId(t.value())).contains("a1");
    assertThat(at(T0.plusSeconds(299)).check(t.value(), s).subscriptionId()).contains("a1");
    BindingTokens.Checked late = at(T0.plusSeconds(300)).check(t.value(), s);
    assertThat(late.subscriptionId()).isEmpty();
    assertThat(late.refusal()).isEqualTo("expired token");
  }

  @Test
  void aTokenDoesNotBindAnotherSubscriptionNorSurviveTampering() {
    Subscription a = websocket("a1");
    Subscription b = websocket("b2");
    String token = at(T0).issue(a).value();
    // another subscription's token, presented for b
    assertThat(at(T0).check(token, b).subscriptionId()).isEmpty();
    // the id changed to b's: b's key does not verify a's signature
    String forged = token.replace(".a1.", ".b2.");
    assertThat(at(T0).check(forged, b).refusal()).isEqualTo("invalid token");
    // a later expiry written in: the signature no longer holds
    String[] p = token.split("\\.");
    String extended = p[0] + "." + p[1] + "." + (Long.parseLong(p[2]) + 3600) + "." + p[3];
    assertThat(at(T0).check(extended, a).refusal()).isEqualTo("invalid token");
    // a key of its own per subscription: the same id with a new key (recreated) refuses it
    assertThat(at(T0).check(token, websocket("a1")).refusal()).isEqualTo("invalid token");
  }

  @Test
  void garbageIsMalformedAndARestHookSubscriptionHasNoKey() {
    for (String garbage :
        new String[] {"", "x", "wsb1.a1.1", "wsb1.a1.notanumber.sig", "a.b.c.d"}) {
      assertThat(at(T0).check(garbage, websocket("a1")).subscriptionId()).as(garbage).isEmpty();
    }
    assertThat(BindingTokens.subscriptionId("wsb1.../etc.1.x")).isEmpty();
    Subscription a = websocket("a1");
    String token = at(T0).issue(a).value();
    Subscription keyless = BindingTokens.stripKey(a.copy());
    assertThat(at(T0).check(token, keyless).refusal()).isEqualTo("not a websocket subscription");
    assertThat(keyless.getExtension()).isEmpty();
    assertThat(at(T0).issue(a).toString()).doesNotContain(token.split("\\.")[3]);
  }
}
