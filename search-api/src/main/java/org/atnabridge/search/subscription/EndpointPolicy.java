package org.atnabridge.search.subscription;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * Which rest-hook endpoints this server may POST to, checked when a Subscription is created or
 * changed and again before every delivery, since what a name resolves to can change (DNS
 * rebinding). Against server-side request forgery: only {@code https} (and {@code http} when
 * allowed), no user info; with configured prefixes only endpoints under one of them (a prefix may
 * name an internal host on purpose); otherwise every address the host resolves to must be a public
 * unicast address: loopback, link-local (cloud metadata 169.254.169.254), site-local/private (RFC
 * 1918, RFC 4193), multicast, the unspecified address, shared CGN space (RFC 6598) and
 * IPv4-mapped/compatible forms of these are refused. Redirects are never followed by the sender, so
 * a public endpoint cannot bounce a delivery inward.
 */
public final class EndpointPolicy {

  /** Resolves host names; the JDK resolver in production. */
  @FunctionalInterface
  public interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  private final SubscriptionSettings settings;
  private final Resolver resolver;

  public EndpointPolicy(SubscriptionSettings settings) {
    this(settings, InetAddress::getAllByName);
  }

  public EndpointPolicy(SubscriptionSettings settings, Resolver resolver) {
    this.settings = settings;
    this.resolver = resolver;
  }

  /**
   * Why {@code endpoint} may not be used, or empty when it may. Resolves the host unless a
   * configured prefix admits it.
   */
  public Optional<String> refusal(String endpoint) {
    URI uri;
    try {
      uri = new URI(endpoint.trim());
    } catch (URISyntaxException e) {
      return Optional.of("not a URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("https") || (scheme.equals("http") && settings.allowHttp()))) {
      return Optional.of(
          settings.allowHttp()
              ? "only https and http endpoints are accepted"
              : "only https endpoints are accepted");
    }
    if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
      return Optional.of("an endpoint needs a host and no user info or fragment");
    }
    if (!settings.endpoints().isEmpty()) {
      String normalized = uri.normalize().toString();
      for (String prefix : settings.endpoints()) {
        if (under(normalized, prefix)) {
          return Optional.empty();
        }
      }
      return Optional.of("not under one of the endpoints this server may deliver to");
    }
    String host = uri.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    InetAddress[] addresses;
    try {
      addresses = resolver.resolve(host);
    } catch (UnknownHostException e) {
      return Optional.of("the host does not resolve");
    }
    if (addresses.length == 0) {
      return Optional.of("the host does not resolve");
    }
    for (InetAddress a : addresses) {
      if (special(a)) {
        return Optional.of("the host resolves to a loopback, private or otherwise special address");
      }
    }
    return Optional.empty();
  }

  /** Whether {@code url} lies under {@code prefix}: same origin and path below it. */
  static boolean under(String url, String prefix) {
    String p = prefix;
    if (!url.regionMatches(true, 0, p, 0, p.length())) {
      return false;
    }
    if (url.length() == p.length() || p.endsWith("/")) {
      return true;
    }
    char next = url.charAt(p.length());
    // https://a.example must not admit https://a.example.evil.org
    return next == '/' || next == '?';
  }

  /** Whether {@code a} is anything but a public unicast address. */
  static boolean special(InetAddress a) {
    if (a.isLoopbackAddress()
        || a.isLinkLocalAddress()
        || a.isSiteLocalAddress()
        || a.isMulticastAddress()
        || a.isAnyLocalAddress()) {
      return true;
    }
    byte[] b = a.getAddress();
    if (a instanceof Inet4Address) {
      return specialV4(b);
    }
    if (a instanceof Inet6Address) {
      // unique local fc00::/7
      if ((b[0] & 0xfe) == 0xfc) {
        return true;
      }
      boolean firstTenZero = true;
      for (int i = 0; i < 10; i++) {
        firstTenZero &= b[i] == 0;
      }
      // IPv4-mapped ::ffff:a.b.c.d and IPv4-compatible ::a.b.c.d
      if (firstTenZero
          && ((b[10] == (byte) 0xff && b[11] == (byte) 0xff) || (b[10] == 0 && b[11] == 0))) {
        byte[] v4 = {b[12], b[13], b[14], b[15]};
        return specialV4(v4) || isV4Special(v4);
      }
      // 2001:db8::/32 documentation, 64:ff9b::/96 NAT64 (may reach internal IPv4)
      if ((b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && (b[3] & 0xff) == 0xb8)
          || (b[0] == 0x00 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isV4Special(byte[] v4) {
    try {
      InetAddress a = InetAddress.getByAddress(v4);
      return a.isLoopbackAddress()
          || a.isLinkLocalAddress()
          || a.isSiteLocalAddress()
          || a.isMulticastAddress()
          || a.isAnyLocalAddress();
    } catch (UnknownHostException e) {
      return true;
    }
  }

  private static boolean specialV4(byte[] b) {
    int first = b[0] & 0xff;
    int second = b[1] & 0xff;
    return first == 0 // "this network"
        || first == 127
        || first == 10
        || (first == 100 && second >= 64 && second <= 127) // RFC 6598 shared address space
        || (first == 169 && second == 254)
        || (first == 172 && second >= 16 && second <= 31)
        || (first == 192 && second == 168)
        || (first == 192 && second == 0 && (b[2] & 0xff) == 0) // RFC 6890 protocol assignments
        || (first == 198 && (second == 18 || second == 19)) // benchmarking
        || first >= 224; // multicast, reserved, broadcast
  }
}
