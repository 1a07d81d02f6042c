package org.atnabridge.streams.enrich;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** An IPv4 or IPv6 network in CIDR notation (RFC 4632 / RFC 4291), e.g. {@code 10.0.0.0/8}. */
public record Cidr(byte[] network, int prefix) {

  private static final Pattern IP_LITERAL =
      Pattern.compile("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

  /**
   * @throws IllegalArgumentException naming the bad value
   */
  public static Cidr parse(String text) {
    String t = text.trim();
    int slash = t.indexOf('/');
    String addr = slash < 0 ? t : t.substring(0, slash);
    InetAddress a = literal(addr);
    if (a == null) {
      throw new IllegalArgumentException("not a CIDR network: " + text);
    }
    int bits = a.getAddress().length * 8;
    int prefix;
    try {
      prefix = slash < 0 ? bits : Integer.parseInt(t.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a CIDR network: " + text);
    }
    if (prefix < 0 || prefix > bits) {
      throw new IllegalArgumentException("CIDR prefix out of range: " + text);
    }
    return new Cidr(a.getAddress(), prefix);
  }

  /** True when {@code address} is an IP literal inside this network. */
  public boolean contains(InetAddress address) {
    byte[] b = address.getAddress();
    if (b.length != network.length) {
      return false;
    }
    int full = prefix / 8;
    for (int i = 0; i < full; i++) {
      if (b[i] != network[i]) {
        return false;
      }
    }
    int rest = prefix % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xff << (8 - rest)) & 0xff;
    return (b[full] & mask) == (network[full] & mask);
  }

  /**
   * Parses an IP literal (IPv4 dotted quad, IPv6, optionally in brackets) without DNS; null for
   * anything else (host names are never resolved on the stream thread).
   */
  public static @Nullable InetAddress literal(String text) {
    String t = text.trim();
    if (t.startsWith("[") && t.endsWith("]")) {
      t = t.substring(1, t.length() - 1);
    }
    if (t.isEmpty() || !IP_LITERAL.matcher(t).matches()) {
      return null;
    }
    try {
      return InetAddress.getByName(t); // a literal: no lookup happens
    } catch (UnknownHostException e) {
      return null;
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cidr c && c.prefix == prefix && Arrays.equals(c.network, network);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(network) * 31 + prefix;
  }

  @Override
  public String toString() {
    try {
      return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
    } catch (UnknownHostException e) {
      return Arrays.toString(network) + "/" + prefix;
    }
  }
}
