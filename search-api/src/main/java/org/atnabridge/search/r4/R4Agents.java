package org.atnabridge.search.r4;

import java.util.Locale;
import java.util.regex.Pattern;
import org.atnabridge.schemas.vocab.CodeSystems;
import org.atnabridge.schemas.vocab.Extensions;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentNetworkType;
import org.hl7.fhir.r5.model.AuditEvent.AuditEventAgentComponent;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.Extension;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.StringType;
import org.hl7.fhir.r5.model.UriType;
import org.jspecify.annotations.Nullable;

/**
 * What {@code AuditEvent40_50} leaves out of an R4 agent: {@code name} (DICOM UserName, R5 {@code
 * who.display}), {@code altId} (the {@code auditevent-AlternativeUserID} extension) and {@code
 * network}. R5 writes an IP address in its literal form ({@code "[10.1.1.7]"}, {@code "[::1]"}); R4
 * and DICOM PS3.15 A.5.1 write the bare address with type 2, so the brackets go and the type comes
 * from the {@code network-access-point-type} extension (else from the address's form).
 */
final class R4Agents {

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  /** An IPv6 literal: hex digits and at least two colons (a host:port has one). */
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f]*:[0-9A-Fa-f]*:[0-9A-Fa-f:.]*");

  private R4Agents() {}

  static void project(
      AuditEventAgentComponent r5, org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentComponent r4) {
    for (Extension ext : r5.getExtension()) {
      if (Extensions.HL7_ALTERNATIVE_USER_ID.equals(ext.getUrl())
          && ext.getValue() instanceof Identifier id
          && id.hasValue()
          && !r4.hasAltId()) {
        r4.setAltId(id.getValue());
      }
    }
    // both now have their R4 elements (altId, network.type)
    r4.getExtension()
        .removeIf(
            e ->
                Extensions.HL7_ALTERNATIVE_USER_ID.equals(e.getUrl())
                    || Extensions.NETWORK_ACCESS_POINT_TYPE.equals(e.getUrl()));
    if (r5.getWho().hasDisplay()) {
      r4.setName(r5.getWho().getDisplay());
    }
    network(r5, r4);
  }

  private static void network(
      AuditEventAgentComponent r5, org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentComponent r4) {
    String address;
    if (r5.getNetwork() instanceof StringType s && s.hasValue()) {
      address = s.getValue();
    } else if (r5.getNetwork() instanceof UriType u && u.hasValue()) {
      address = u.getValue();
    } else {
      return;
    }
    String typeCode = typeCode(r5);
    AuditEventAgentNetworkType type =
        typeCode != null ? type(typeCode) : inferred(address, r5.getNetwork() instanceof UriType);
    String bare = bare(address, type);
    r4.getNetwork().setAddress(bare);
    if (type != null) {
      r4.getNetwork().setType(type);
    }
  }

  private static @Nullable String typeCode(AuditEventAgentComponent r5) {
    for (Extension ext : r5.getExtension()) {
      if (Extensions.NETWORK_ACCESS_POINT_TYPE.equals(ext.getUrl())
          && ext.getValue() instanceof Coding c
          && CodeSystems.NETWORK_ACCESS_POINT_TYPE.equals(c.getSystem())) {
        return c.getCode();
      }
    }
    return null;
  }

  private static @Nullable AuditEventAgentNetworkType type(String code) {
    return switch (code) {
      case "1" -> AuditEventAgentNetworkType._1;
      case "2" -> AuditEventAgentNetworkType._2;
      case "3" -> AuditEventAgentNetworkType._3;
      case "4" -> AuditEventAgentNetworkType._4;
      case "5" -> AuditEventAgentNetworkType._5;
      default -> null;
    };
  }

  /**
   * No type recorded (e.g. an access log's client): an address in brackets or of IP form is type 2,
   * {@code tel:} 3, {@code mailto:} 4, another URI 5, a name 1.
   */
  private static AuditEventAgentNetworkType inferred(String address, boolean uri) {
    String lower = address.toLowerCase(Locale.ROOT);
    if (lower.startsWith("tel:")) {
      return AuditEventAgentNetworkType._3;
    }
    if (lower.startsWith("mailto:")) {
      return AuditEventAgentNetworkType._4;
    }
    if (uri || address.contains("://")) {
      return AuditEventAgentNetworkType._5;
    }
    String unbracketed = unbracketed(address);
    return !unbracketed.equals(address)
            || IPV4.matcher(address).matches()
            || IPV6.matcher(address).matches()
        ? AuditEventAgentNetworkType._2
        : AuditEventAgentNetworkType._1;
  }

  /**
   * The address as R4 and DICOM write it: IP without R5's literal brackets, telephone and e-mail
   * without the URI scheme R5 adds (DICOM type 3 and 4 carry the number and the address).
   */
  private static String bare(String address, @Nullable AuditEventAgentNetworkType type) {
    if (type == null) {
      return address;
    }
    return switch (type) {
      case _2 -> unbracketed(address);
      case _3 -> unprefixed(address, "tel:");
      case _4 -> unprefixed(address, "mailto:");
      default -> address;
    };
  }

  private static String unbracketed(String address) {
    return address.length() > 2 && address.startsWith("[") && address.endsWith("]")
        ? address.substring(1, address.length() - 1)
        : address;
  }

  private static String unprefixed(String address, String scheme) {
    return address.toLowerCase(Locale.ROOT).startsWith(scheme)
        ? address.substring(scheme.length())
        : address;
  }
}
