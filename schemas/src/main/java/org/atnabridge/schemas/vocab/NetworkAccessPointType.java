package org.atnabridge.schemas.vocab;

import org.hl7.fhir.r5.model.Coding;
import org.jspecify.annotations.Nullable;

/**
 * DICOM NetworkAccessPointTypeCode (PS3.15 A.5.1), written in {@link
 * CodeSystems#NETWORK_ACCESS_POINT_TYPE} on the {@link Extensions#NETWORK_ACCESS_POINT_TYPE}
 * extension, since R5 dropped the element.
 */
public enum NetworkAccessPointType {
  MACHINE_NAME("1", "Machine Name, including DNS name"),
  IP_ADDRESS("2", "IP Address"),
  TELEPHONE_NUMBER("3", "Telephone Number"),
  EMAIL_ADDRESS("4", "Email address"),
  URI("5", "URI (User directory, HTTP-PUT, ftp, etc.)");

  private final String code;
  private final String display;

  NetworkAccessPointType(String code, String display) {
    this.code = code;
    this.display = display;
  }

  public String code() {
    return code;
  }

  public String display() {
    return display;
  }

  public Coding coding() {
    return new Coding(CodeSystems.NETWORK_ACCESS_POINT_TYPE, code, display);
  }

  /**
   * The coding of code 1..5 exactly as DICOM writes it, null for anything else (never invented).
   */
  public static @Nullable Coding coding(String code) {
    for (NetworkAccessPointType t : values()) {
      if (t.code.equals(code)) {
        return t.coding();
      }
    }
    return null;
  }
}
