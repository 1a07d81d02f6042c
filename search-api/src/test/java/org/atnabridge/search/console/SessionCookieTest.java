package org.atnabridge.search.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SessionCookieTest {

  @Test
  void overHttp_httpOnlyStrict_notSecure() {
    assertThat(new SessionCookie(false).set("T", Duration.ofHours(8)))
        .isEqualTo("atna-session=T; Path=/; Max-Age=28800; HttpOnly; SameSite=Strict");
  }

  @Test
  void overHttps_secure_withTheHostPrefix() {
    SessionCookie cookie = new SessionCookie(true);
    assertThat(cookie.set("T", Duration.ofMinutes(1)))
        .isEqualTo("__Host-atna-session=T; Path=/; Max-Age=60; HttpOnly; SameSite=Strict; Secure");
    assertThat(cookie.clear()).startsWith("__Host-atna-session=; Path=/; Max-Age=0;");
  }
}
