package org.atnabridge.atna.fhir;

import java.util.regex.Pattern;
import org.apache.commons.text.StringEscapeUtils;
import org.jspecify.annotations.Nullable;

/**
 * A patient id parsed from a ParticipantObjectID (ITI-20 patient object): HL7 v2 CX {@code
 * id^^^namespace&oid&ISO^type}, or a FHIR token {@code system|value} (IPF writes that for PIXm).
 * Tolerates a second level of XML escaping ({@code &amp;amp;} seen in OpenATNA samples), HL7 escape
 * sequences, repetitions ({@code ~}: the first one is used) and missing components.
 *
 * @param value CX.1 (or the whole id when not a CX)
 * @param system {@code urn:oid:…} / {@code urn:uuid:…} / URI from the assigning authority, null
 *     when none
 * @param assigner assigning authority namespace (CX.4.1)
 * @param typeCode identifier type code (CX.5, HL7 table 0203), e.g. {@code PI}
 */
public record HL7Identifier(
    String value, @Nullable String system, @Nullable String assigner, @Nullable String typeCode) {

  private static final Pattern OID = Pattern.compile("[0-2](\\.(0|[1-9]\\d*))+");
  private static final Pattern DOTTED = Pattern.compile("\\d+(\\.\\d+)+");
  private static final Pattern TOKEN_SYSTEM = Pattern.compile("(?i)(urn:|https?://)\\S+");
  private static final Pattern ENTITY =
      Pattern.compile("&(amp|lt|gt|quot|apos|#\\d+|#x[0-9a-fA-F]+);");

  public static HL7Identifier parse(String raw) {
    String s = raw.strip();
    if (ENTITY.matcher(s).find()) {
      s = StringEscapeUtils.unescapeXml(s);
    }
    int bar = s.indexOf('|');
    if (s.indexOf('^') < 0 && bar > 0 && TOKEN_SYSTEM.matcher(s.substring(0, bar)).matches()) {
      String value = s.substring(bar + 1);
      return new HL7Identifier(value.isEmpty() ? raw : value, s.substring(0, bar), null, null);
    }
    if (s.indexOf('^') < 0) {
      return new HL7Identifier(unescape(s), null, null, null);
    }
    String first = s.split("~", -1)[0];
    String[] cx = first.split("\\^", -1);
    String value = unescape(cx[0]);
    String namespace = null;
    String system = null;
    if (cx.length > 3 && !cx[3].isEmpty()) {
      String[] hd = cx[3].split("&", -1);
      namespace = emptyToNull(unescape(hd[0]));
      String uid = hd.length > 1 ? unescape(hd[1]).strip() : "";
      String uidType = hd.length > 2 ? unescape(hd[2]).strip() : "";
      system = system(uid, uidType);
    }
    String type = cx.length > 4 ? emptyToNull(unescape(cx[4])) : null;
    return new HL7Identifier(value.isEmpty() ? raw : value, system, namespace, type);
  }

  private static @Nullable String system(String uid, String uidType) {
    if (uid.isEmpty()) {
      return null;
    }
    if (uid.regionMatches(true, 0, "urn:", 0, 4) || uid.contains("://")) {
      return uid;
    }
    if ("UUID".equalsIgnoreCase(uidType)) {
      return "urn:uuid:" + uid;
    }
    if (OID.matcher(uid).matches()
        || ("ISO".equalsIgnoreCase(uidType) && DOTTED.matcher(uid).matches())) {
      return "urn:oid:" + uid;
    }
    return null;
  }

  /** HL7 v2 escape sequences (v2.5 §2.7.4) for the delimiters. */
  private static String unescape(String s) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    return s.replace("\\F\\", "|")
        .replace("\\S\\", "^")
        .replace("\\T\\", "&")
        .replace("\\R\\", "~")
        .replace("\\E\\", "\\");
  }

  private static @Nullable String emptyToNull(String s) {
    return s.isEmpty() ? null : s;
  }
}
