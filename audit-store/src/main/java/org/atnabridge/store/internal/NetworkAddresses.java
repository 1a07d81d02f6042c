package org.atnabridge.store.internal;

import java.util.List;

/**
 * The one rule for {@code address} (R4 {@code AuditEvent.agent.network.address}, R5 {@code
 * agent.network[x]}): an IP address is stored as R5 writes an IP literal, in square brackets
 * ({@code [10.1.1.7]}, {@code [2001:db8::1]}), while DICOM senders (PS3.15 A.5.3
 * NetworkAccessPointID, type 2), R4 and ITI-81 clients write it plain. The brackets are notation,
 * not content: a searched value with or without them finds the address in either stored form.
 * Applied to the query only ({@link QueryPlanner}), so indexes written before the rule answer
 * alike.
 */
final class NetworkAddresses {

  private NetworkAddresses() {}

  /**
   * {@code value} without the brackets of an IP literal ({@code [10.1.1.7]} → {@code 10.1.1.7}).
   */
  static String bare(String value) {
    String v = value.trim();
    if (v.startsWith("[")) {
      v = v.substring(1);
      if (v.endsWith("]")) {
        v = v.substring(0, v.length() - 1);
      }
    }
    return v;
  }

  /** The stored forms a whole address may have: plain and bracketed. */
  static List<String> exactForms(String value) {
    String bare = bare(value);
    return bare.isEmpty() ? List.of(value) : List.of(bare, "[" + bare + "]");
  }

  /** What every stored form of an address containing {@code value} contains. */
  static String infix(String value) {
    String bare = bare(value);
    return bare.isEmpty() ? value : bare;
  }

  /** The prefixes of the stored forms an address that starts with {@code value} may have. */
  static List<String> prefixes(String value) {
    String bare = bare(value);
    return bare.isEmpty() ? List.of(value) : List.of(bare, "[" + bare);
  }
}
